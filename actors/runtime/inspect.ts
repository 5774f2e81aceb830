/**
 * The runtime seen from outside, for operators: depth and lag per kind, the actors of a kind,
 * one actor in detail, a live tail of handled messages, and the dead-letter verbs (retry,
 * discard). Plain functions over a postgres.js handle returning typed objects; the
 * `deno task actors` CLI and the browser cockpit only format them.
 *
 * Every pending message has one status, as the drain (see sql.ts) would treat it now:
 *   - `timer`: its `deliver_at` is still ahead on the BSS clock;
 *   - `backoff`: a failed attempt's retry delay (`run_after`, wall clock) has not passed;
 *   - `blocked`: behind a message of the same actor that is in backoff (FIFO);
 *   - `ready`: deliverable now.
 *
 * In-flight detection takes a FOR KEY SHARE SKIP LOCKED probe on `actor.actor`: a row a
 * drain holds FOR UPDATE is skipped, so it is in flight. Call these functions on a pool, not
 * inside a long transaction, or the probe's locks would keep drains off those actors.
 *
 * @module
 */
import type postgres from "postgres";
import type { Sql } from "../../kernel/db/types.ts";
import { NotFound } from "../../kernel/errors.ts";
import type { ActorKind } from "./types.ts";

/** Where a pending message stands (see the module doc). */
export type MessageStatus = "ready" | "backoff" | "blocked" | "timer";

/** Mailbox counts by status; `depth` is their sum. */
export interface MailboxCounts {
  depth: number;
  ready: number;
  timers: number;
  backoff: number;
  blocked: number;
  deadLetters: number;
}

/** One actor kind's mailbox depth and lag. */
export interface KindSummary extends MailboxCounts {
  kind: string;
  actors: number;
  /** How long the longest-waiting ready message has been deliverable, ms (null: none). */
  lagMs: number | null;
}

/** One actor of a kind, with its mailbox counts. */
export interface ActorSummary extends MailboxCounts {
  key: string;
  createdAt: Date;
  /** Age of the oldest message that is not a future timer, ms (null: none). */
  oldestMs: number | null;
  /** The earliest future timer. */
  nextTimer: Date | null;
  /** A drain holds the actor right now. */
  inFlight: boolean;
}

/** A message in a mailbox. */
export interface PendingMessage {
  id: number;
  type: string;
  status: MessageStatus;
  body: Record<string, unknown>;
  context: Record<string, string>;
  enqueuedAt: Date;
  deliverAt: Date | null;
  runAfter: Date;
  attempts: number;
  lastError: string | null;
}

/** A row of `actor.history`: one outcome of one message. */
export interface HistoryEntry {
  id: number;
  messageId: number;
  kind: string;
  key: string;
  type: string;
  outcome: "ok" | "rejected" | "retry" | "dead" | "requeued" | "discarded";
  detail: string | null;
  enqueuedAt: Date;
  handledAt: Date;
}

/** A dead-lettered message. */
export interface DeadLetter {
  id: number;
  kind: string;
  key: string;
  type: string;
  body: Record<string, unknown>;
  attempts: number;
  lastError: string;
  context: Record<string, string>;
  enqueuedAt: Date;
  diedAt: Date;
}

/** An actor's state as its kind's `state()` reports it, or why it cannot be shown. */
export type ActorState =
  | { status: "unregistered" }
  | { status: "unsupported" }
  | { status: "ok"; value: unknown }
  | { status: "error"; error: string };

/** Everything about one actor. */
export interface ActorDetail {
  kind: string;
  summary: ActorSummary;
  state: ActorState;
  /** Non-timer messages in id (delivery) order, at most `limit`. */
  pending: PendingMessage[];
  /** Future timers by due time, at most `limit`. */
  timers: PendingMessage[];
  /** Newest first. */
  history: HistoryEntry[];
  deadLetters: DeadLetter[];
}

// Static column lists (no user input), shared by the queries that return these shapes.
const HISTORY = `id, message_id as "messageId", kind, key, type, outcome, detail,
  enqueued_at as "enqueuedAt", handled_at as "handledAt"`;
const DEAD = `id, kind, key, type, body, attempts, last_error as "lastError", context,
  enqueued_at as "enqueuedAt", died_at as "diedAt"`;
const COUNTS = `count(*)::int as depth,
  count(*) filter (where status = 'ready')::int as ready,
  count(*) filter (where status = 'timer')::int as timers,
  count(*) filter (where status = 'backoff')::int as backoff,
  count(*) filter (where status = 'blocked')::int as blocked`;
const ms = (interval: string) => `round(extract(epoch from ${interval}) * 1000)::float8`;

/** `and <column> = <value>`, or nothing when there is no value. */
const andEq = (sql: Sql, column: string, value: string | undefined) =>
  value === undefined ? sql`` : sql`and ${sql(column)} = ${value}`;

/** Mailbox rows matching `where`, each with its {@link MessageStatus}. */
function classified(sql: Sql, where: postgres.Fragment) {
  return sql`
    select m.*, case
        when m.deliver_at > kernel.bss_now() then 'timer'
        when m.run_after > now() then 'backoff'
        when bool_or(m.run_after > now() and not coalesce(m.deliver_at > kernel.bss_now(), false))
          over (partition by m.kind, m.key order by m.id
            rows between unbounded preceding and 1 preceding) then 'blocked'
        else 'ready' end as status
    from actor.mailbox m where ${where}`;
}

/** Depth, lag and dead letters of every kind that has actors. */
export async function kindSummaries(sql: Sql): Promise<KindSummary[]> {
  // A ready message has been deliverable since the latest of its enqueue, its backoff end
  // and (BSS clock) its timer; `least` of the elapsed times ignores a null deliver_at.
  const lag = ms("least(now() - greatest(enqueued_at, run_after), kernel.bss_now() - deliver_at)");
  return [
    ...await sql<KindSummary[]>`
    with mail as (
      select kind, ${sql.unsafe(COUNTS)},
        max(${sql.unsafe(lag)}) filter (where status = 'ready') as lag
      from (${classified(sql, sql`true`)}) c group by kind
    ), actors as (
      select kind, count(*)::int as n from actor.actor group by kind
    ), dead as (
      select kind, count(*)::int as n from actor.dead_letter group by kind
    )
    select kind, coalesce(actors.n, 0) as actors, coalesce(depth, 0) as depth,
      coalesce(ready, 0) as ready, coalesce(timers, 0) as timers,
      coalesce(backoff, 0) as backoff, coalesce(blocked, 0) as blocked,
      coalesce(dead.n, 0) as "deadLetters", lag as "lagMs"
    from actors full join mail using (kind) full join dead using (kind)
    order by kind`,
  ];
}

/** Options of {@link listActors}. */
export interface ListOptions {
  /** At most this many actors (default 50). */
  limit?: number;
  /** Only actors with messages in their mailbox. */
  withMail?: boolean;
}

/** Actors of `kind`, longest-waiting mail first, then by key. */
export async function listActors(
  sql: Sql,
  kind: string,
  options: ListOptions = {},
): Promise<ActorSummary[]> {
  return await summaries(sql, kind, undefined, options);
}

async function summaries(
  sql: Sql,
  kind: string,
  key: string | undefined,
  { limit = 50, withMail = false }: ListOptions,
): Promise<ActorSummary[]> {
  const rows = await sql<Omit<ActorSummary, "inFlight">[]>`
    with mail as (
      select key, ${sql.unsafe(COUNTS)},
        min(enqueued_at) filter (where status <> 'timer') as oldest,
        min(deliver_at) filter (where status = 'timer') as next_timer
      from (${classified(sql, sql`m.kind = ${kind} ${andEq(sql, "m.key", key)}`)}) c group by key
    ), dead as (
      select key, count(*)::int as n from actor.dead_letter
      where kind = ${kind} ${andEq(sql, "key", key)} group by key
    )
    select a.key, a.created_at as "createdAt", coalesce(depth, 0) as depth,
      coalesce(ready, 0) as ready, coalesce(timers, 0) as timers,
      coalesce(backoff, 0) as backoff, coalesce(blocked, 0) as blocked,
      coalesce(dead.n, 0) as "deadLetters", ${sql.unsafe(ms("now() - oldest"))} as "oldestMs",
      next_timer as "nextTimer"
    from actor.actor a left join mail using (key) left join dead using (key)
    where a.kind = ${kind} ${andEq(sql, "a.key", key)} ${withMail ? sql`and depth > 0` : sql``}
    order by oldest nulls last, depth desc nulls last, a.key
    limit ${limit}`;
  if (rows.length === 0) return [];
  const free = new Set(
    (await sql<{ key: string }[]>`
      select key from actor.actor where kind = ${kind} and key = any(${rows.map((r) => r.key)})
      for key share skip locked`).map((r) => r.key),
  );
  return rows.map((r) => ({ ...r, inFlight: !free.has(r.key) }));
}

/** Options of {@link showActor}. */
export interface ShowOptions {
  /** Kinds hosted in this process: their `state()` shows the actor's state. */
  kinds?: ReadonlyMap<string, ActorKind>;
  /** At most this many pending messages, timers, history rows and dead letters (20). */
  limit?: number;
}

/** One actor in detail; NotFound when no message was ever sent to it. */
export async function showActor(
  sql: Sql,
  kind: string,
  key: string,
  { kinds, limit = 20 }: ShowOptions = {},
): Promise<ActorDetail> {
  const [summary] = await summaries(sql, kind, key, { limit: 1 });
  if (!summary) throw new NotFound("actor", `${kind}/${key}`);
  const [messages, history, deadLetters, state] = await Promise.all([
    // The first `limit` of each list: pending in id order, timers by due time.
    sql<PendingMessage[]>`
      select id, type, status, body, context, enqueued_at as "enqueuedAt",
        deliver_at as "deliverAt", run_after as "runAfter", attempts, last_error as "lastError"
      from (
        select c.*, row_number() over (partition by status = 'timer'
          order by case when status = 'timer' then deliver_at end, id) as n
        from (${classified(sql, sql`m.kind = ${kind} and m.key = ${key}`)}) c
      ) x where n <= ${limit} order by n`,
    sql<HistoryEntry[]>`
      select ${sql.unsafe(HISTORY)} from actor.history where kind = ${kind} and key = ${key}
      order by id desc limit ${limit}`,
    listDeadLetters(sql, { kind, key, limit }),
    stateOf(sql, kind, key, kinds),
  ]);
  return {
    kind,
    summary,
    state,
    pending: messages.filter((m) => m.status !== "timer"),
    timers: messages.filter((m) => m.status === "timer"),
    history: [...history],
    deadLetters,
  };
}

async function stateOf(
  sql: Sql,
  kind: string,
  key: string,
  kinds: ReadonlyMap<string, ActorKind> | undefined,
): Promise<ActorState> {
  const hosted = kinds?.get(kind);
  if (!hosted) return { status: "unregistered" };
  if (!hosted.state) return { status: "unsupported" };
  try {
    return { status: "ok", value: await hosted.state(sql, key) };
  } catch (e) {
    return { status: "error", error: e instanceof Error ? e.message : String(e) };
  }
}

/** Options of {@link listDeadLetters}. */
export interface DeadLetterFilter {
  kind?: string;
  key?: string;
  /** At most this many, newest first (default 100). */
  limit?: number;
}

/** Dead letters, newest first. */
export async function listDeadLetters(
  sql: Sql,
  { kind, key, limit = 100 }: DeadLetterFilter = {},
): Promise<DeadLetter[]> {
  return [
    ...await sql<DeadLetter[]>`
      select ${sql.unsafe(DEAD)} from actor.dead_letter
      where true ${andEq(sql, "kind", kind)} ${andEq(sql, "key", key)}
      order by died_at desc, id desc limit ${limit}`,
  ];
}

/**
 * Puts a dead letter back into its actor's mailbox, in one statement: same id (so it is next
 * in the actor's FIFO), attempts reset, no timer, no reply (its asker was answered when it
 * died). Records a `requeued` history row and wakes the kind's workers. NotFound if absent.
 */
export async function retryDeadLetter(sql: Sql, id: number): Promise<DeadLetter> {
  const [dead] = await sql<DeadLetter[]>`
    with dead as (
      delete from actor.dead_letter where id = ${id} returning ${sql.unsafe(DEAD)}
    ), actors as (
      insert into actor.actor (kind, key) select kind, key from dead on conflict do nothing
    ), requeued as (
      insert into actor.mailbox (id, kind, key, type, body, context, enqueued_at)
      select id, kind, key, type, body, context, "enqueuedAt" from dead
    ), noted as (
      insert into actor.history (message_id, kind, key, type, outcome, detail, enqueued_at)
      select id, kind, key, type, 'requeued', 'was: ' || "lastError", "enqueuedAt" from dead
    )
    select d.* from dead d, lateral (select pg_notify('bss_mailbox', d.kind)) woken`;
  if (!dead) throw new NotFound("dead letter", String(id));
  return dead;
}

/** Deletes a dead letter for good, recording a `discarded` history row. NotFound if absent. */
export async function discardDeadLetter(sql: Sql, id: number): Promise<DeadLetter> {
  const [dead] = await sql<DeadLetter[]>`
    with dead as (
      delete from actor.dead_letter where id = ${id} returning ${sql.unsafe(DEAD)}
    ), noted as (
      insert into actor.history (message_id, kind, key, type, outcome, detail, enqueued_at)
      select id, kind, key, type, 'discarded', 'was: ' || "lastError", "enqueuedAt" from dead
    )
    select * from dead`;
  if (!dead) throw new NotFound("dead letter", String(id));
  return dead;
}

/** How long an id skipped by one read of the tail is looked for again (ms). */
const GAP_MS = 5_000;
/** At most this many skipped ids are remembered per read (beyond: a pruned range). */
const MAX_GAP = 1_000;

/**
 * A live reader of `actor.history`. Concurrent drain transactions commit out of id order, so
 * an id skipped by one read may still appear: skipped ids are looked for again for
 * {@link GAP_MS} (ids of rolled-back inserts never appear). The kind filter applies after
 * the read, since other kinds' rows must count as seen, not as gaps.
 */
export class HistoryTail {
  /** Skipped id → when it was first skipped (ms). */
  #gaps = new Map<number, number>();
  #last: number;

  private constructor(
    private readonly sql: Sql,
    private readonly kind: string | undefined,
    last: number,
  ) {
    this.#last = last;
  }

  /** Starts after the newest row; also returns the newest `backlog` rows (of `kind`). */
  static async start(
    sql: Sql,
    { kind, backlog = 0 }: { kind?: string; backlog?: number } = {},
  ): Promise<{ tail: HistoryTail; backlog: HistoryEntry[] }> {
    const [{ last }] = await sql<{ last: number }[]>`
      select coalesce(max(id), 0) as last from actor.history`;
    const recent = await sql<HistoryEntry[]>`
      select ${sql.unsafe(HISTORY)} from actor.history
      where id <= ${last} ${andEq(sql, "kind", kind)}
      order by id desc limit ${backlog}`;
    return { tail: new HistoryTail(sql, kind, last), backlog: recent.reverse() };
  }

  /** Rows committed since the previous read, in id order (at most 1000 per read). */
  async next(): Promise<HistoryEntry[]> {
    const rows = await this.sql<HistoryEntry[]>`
      select ${this.sql.unsafe(HISTORY)} from actor.history
      where id > ${this.#last} or id = any(${[...this.#gaps.keys()]}::bigint[])
      order by id limit 1000`;
    const now = Date.now();
    for (const r of rows) {
      if (this.#gaps.delete(r.id)) continue;
      for (let id = Math.max(this.#last + 1, r.id - MAX_GAP); id < r.id; id++) {
        this.#gaps.set(id, now);
      }
      this.#last = r.id;
    }
    for (const [id, since] of this.#gaps) if (now - since > GAP_MS) this.#gaps.delete(id);
    return rows.filter((r) => this.kind === undefined || r.kind === this.kind);
  }
}
