/**
 * Every statement the runtime runs against its tables, in one place. The drain cycle is:
 *
 *   1. {@link lockReadyActors}: pick actors owning the oldest deliverable messages and lock
 *      their `actor.actor` rows FOR UPDATE SKIP LOCKED. The row lock is the single-writer
 *      guarantee: no other process can handle those actors until this transaction ends.
 *   2. {@link claimAndLoad}, outside the batch and committed at once: read up to N
 *      deliverable messages per locked actor, in id order, record which of them the batch
 *      will run, and count an attempt for the messages of batches that died before they
 *      committed.
 *   3. The handlers run in the same transaction (a savepoint each).
 *   4. {@link settleTurns} (the batch's claim, removals and history), {@link scheduleRetries},
 *      {@link buryMessages}, {@link enqueueMany} and the reply statements write the outcome,
 *      and the transaction commits: handler effects and message removal are one atomic step.
 *
 * A message is deliverable when its timer is due on the BSS clock (`kernel.bss_now()`) and
 * its retry backoff (`run_after`, wall clock) has passed. A message in backoff blocks the
 * messages behind it (FIFO per actor); a future timer does not.
 *
 * @module
 */
import type { ClockRow } from "../../kernel/clock.ts";
import { type Fragment, jsonb, type Sql } from "../../kernel/db/types.ts";
import type { Envelope } from "./types.ts";

/** A mailbox row as the drain loop sees it. */
export interface MailRow {
  id: number;
  kind: string;
  key: string;
  type: string;
  body: Record<string, unknown>;
  attempts: number;
  last_error: string | null;
  reply_to: string | null;
  context: Record<string, string>;
  enqueued_at: Date;
  /** Backoff over: false means this message (and those behind it) must wait. */
  ready: boolean;
}

/** A message to insert. */
export interface NewMessage {
  kind: string;
  key: string;
  body: Envelope;
  deliverAt?: Date;
  /** Wall-clock delay before the first delivery (holds back later messages of the actor). */
  delayMs?: number;
  replyTo?: string;
  context: Record<string, string | undefined>;
}

/** `text` as an SQL string literal. */
function textLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A positive integer written into a statement's text. */
function count(sql: Sql, n: number) {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`not a positive integer: ${n}`);
  return sql.unsafe(String(n));
}

/** A locked actor, with what the batch reads along with its lock. */
export interface LockedActor {
  kind: string;
  key: string;
  /** The locking transaction's id (for {@link claimAndLoad}). */
  xid: string;
  /** The BSS clock row as of the lock. */
  clock: ClockRow;
  /** The value of the `prepared` expression given to {@link lockReadyActors}, if any. */
  prepared: unknown;
}

/**
 * Locks up to `limit` actors of `kinds` that have deliverable mail, oldest mail first. Each
 * row also carries the BSS clock and the value of `prepared` (a scalar expression), so a
 * batch reads them in its lock statement instead of one statement each.
 */
export function lockReadyActors(
  tx: Sql,
  kinds: string[],
  scan: number,
  limit: number,
  prepared?: Fragment,
) {
  // The kinds and limits are a loop's constants, written into the text: a plan made once for
  // them (see `pool` in kernel/db/connect.ts) knows them, rather than guessing at parameters.
  const fixed = tx.unsafe(`array[${kinds.map(textLiteral).join(", ")}]::text[]`);
  return tx<LockedActor[]>`
    with due as (
      (select kind, key, id from actor.mailbox
        where deliver_at is null and run_after <= now() and kind = any(${fixed})
        order by id limit ${count(tx, scan)})
      union all
      (select kind, key, id from actor.mailbox
        where deliver_at <= kernel.bss_now() and run_after <= now() and kind = any(${fixed})
        order by deliver_at limit ${count(tx, scan)})
    ), candidates as (
      select kind, key, min(id) as oldest from due group by kind, key
    )
    select a.kind, a.key, pg_current_xact_id()::text as xid,
      json_build_object('offset_seconds', k.offset_seconds, 'frozen_at', k.frozen_at) as clock,
      ${prepared ?? tx`null`} as prepared
    from actor.actor a join candidates c using (kind, key) cross join kernel.clock k
    order by c.oldest
    limit ${count(tx, limit)}
    for update of a skip locked`;
}

/**
 * Locks actor `kind`/`key` for a turn run at once, outside the mailbox (see `Worker.runAlone`):
 * a new actor (its row inserted here, so it is this transaction's until commit), or one that
 * no other transaction holds and that has no message due or waiting out a backoff (those come
 * first: FIFO). Reads, in the same statement, a fresh message id (the turn's id in the
 * history), the BSS clock and `prepared`. No row: the message goes through the mailbox.
 */
export function lockIdleActor(tx: Sql, kind: string, key: string, prepared?: Fragment) {
  return tx<(Omit<LockedActor, "xid"> & { id: number })[]>`
    with created as (
      insert into actor.actor (kind, key) values (${kind}, ${key})
      on conflict do nothing
      returning kind, key
    ), idle as (
      select a.kind, a.key from actor.actor a
      where a.kind = ${kind} and a.key = ${key}
        and not exists (select from actor.mailbox m where m.kind = a.kind and m.key = a.key
          and (m.deliver_at is null or m.deliver_at <= kernel.bss_now()))
      for update of a skip locked
    )
    select a.kind, a.key, nextval('actor.mailbox_id_seq')::int8 as id,
      json_build_object('offset_seconds', k.offset_seconds, 'frozen_at', k.frozen_at) as clock,
      ${prepared ?? tx`null`} as prepared
    from (select * from created union all select * from idle) a cross join kernel.clock k`;
}

/**
 * The kinds among `kinds` with deliverable mail (a due timer, an ended backoff, a message whose
 * notification was missed): one cheap probe per process instead of a locking scan per loop.
 * Split in two so each half walks an index (`mailbox_due_kind`, migration 0009, for ready
 * mail; `mailbox_timers` for timers), however many future timers a kind holds.
 */
export async function kindsWithDueMail(sql: Sql, kinds: string[]): Promise<string[]> {
  const rows = await sql<{ kind: string }[]>`
    select k.kind from unnest(${kinds}::text[]) as k(kind)
    where exists (select 1 from actor.mailbox m
        where m.kind = k.kind and m.deliver_at is null and m.run_after <= now())
      or exists (select 1 from actor.mailbox m
        where m.kind = k.kind and m.deliver_at <= kernel.bss_now() and m.run_after <= now())`;
  return rows.map((r) => r.kind);
}

/** A loaded message and whether this batch may run its handler. */
export interface ClaimedRow extends MailRow {
  runnable: boolean;
}

/**
 * Loads the first `perActor` deliverable-by-timer messages of each actor the batch
 * (transaction `xid`) locked, in id order, and records, committed at once on a connection of
 * its own, which of them the batch is about to run — before any handler runs. A message tried
 * before (failed, or its turn never finished) runs alone in its batch: if it kills the process
 * again, only its own attempt is counted, not its neighbours'. In the same statement, counts
 * one attempt on each message of every claim whose transaction is over without having removed
 * it (that batch died) and drops those claims. A message of such a claim is not run now (it
 * is loaded again next time, as a suspect, with its new count), whether this statement
 * counted it or another drain is counting it: that claim is skipped here, locked, and its
 * message, run now, would run as if never tried and then be counted twice. Claims of running
 * batches are left alone.
 *
 * Run after the lock is held, outside the batch's transaction, it sees every batch that held
 * these actors before as committed. The commit need not wait for the disk: a claim matters
 * when a process dies, not when the server does (which aborts the batch too). A LATERAL …
 * LIMIT per actor walks the (kind, key, id) index and stops after `perActor` rows, however
 * deep the actor's backlog (bench/PROPOSALS.md P1).
 */
export function claimAndLoad(
  sql: Sql,
  xid: string,
  actors: { kind: string; key: string }[],
  perActor: number,
) {
  // set_config(…, true) lasts to the end of this statement's own transaction, commit included.
  return sql<ClaimedRow[]>`
    with settings as (select set_config('synchronous_commit', 'off', true)),
    loaded as (
      select m.id, m.kind, m.key, m.type, m.body, m.attempts, m.last_error, m.reply_to,
        m.context, m.enqueued_at, m.run_after <= now() as ready
      from unnest(${actors.map((a) => a.kind)}::text[], ${actors.map((a) => a.key)}::text[])
        as l(kind, key)
      cross join lateral (
        select * from actor.mailbox m
        where m.kind = l.kind and m.key = l.key
          and (m.deliver_at is null or m.deliver_at <= kernel.bss_now())
        order by m.id
        limit ${count(sql, perActor)}
      ) m
    ), over as (
      select xid, ids from actor.turn_claim
      where pg_xact_status(xid) is distinct from 'in progress'
    ), unfinished as (
      delete from actor.turn_claim where xid in (
        select xid from actor.turn_claim where xid in (select xid from over)
        for update skip locked)
      returning ids
    ), counted as (
      update actor.mailbox m set attempts = m.attempts + 1,
        last_error = 'its turn did not finish (the process died or the transaction failed)'
      from (select distinct unnest(ids) as id from unfinished) u
      where m.id = u.id
      returning m.id
    ), suspect as (
      select id from loaded where ready and attempts > 0 order by kind, key, id limit 1
    ), runnable as (
      select id from loaded
      where ready and (id in (select id from suspect) or not exists (select from suspect))
        and not exists (select from over o join loaded l on l.id = any(o.ids) where l.ready)
    ), claimed as (
      insert into actor.turn_claim (xid, ids)
      select ${xid}::xid8, array(select id from runnable order by id) from settings
      where exists (select from runnable)
    )
    select l.*, l.id in (select id from runnable) as runnable
    from loaded l
    order by l.kind, l.key, l.id`;
}

/**
 * Drops the claim of batch `xid` at once, outside it, while it is still running: a batch about
 * to roll back for a reason of its own (a turn's failed statement) must not have its claim
 * counted as a death against its messages.
 */
export async function dropTurnClaim(sql: Sql, xid: string) {
  await sql`delete from actor.turn_claim where xid = ${xid}::xid8`;
}

/**
 * The batch's bookkeeping in one statement: its own turn claim removed (when it made one; in
 * the batch, so it goes when the batch commits), the handled messages deleted and every
 * turn's outcome recorded in the history. Each part does nothing when it has nothing to do.
 */
export async function settleTurns(
  tx: Sql,
  claimed: boolean,
  removed: number[],
  rows: { message: MailRow; outcome: string; detail: string | null }[],
) {
  await tx`
    with released as (
      delete from actor.turn_claim where ${claimed}::boolean and xid = pg_current_xact_id()
    ), removed as (
      delete from actor.mailbox where id = any(${removed}::bigint[])
    )
    insert into actor.history (message_id, kind, key, type, outcome, detail, enqueued_at)
    select * from unnest(
      ${rows.map((r) => r.message.id)}::bigint[], ${rows.map((r) => r.message.kind)}::text[],
      ${rows.map((r) => r.message.key)}::text[], ${rows.map((r) => r.message.type)}::text[],
      ${rows.map((r) => r.outcome)}::text[], ${rows.map((r) => r.detail)}::text[],
      ${rows.map((r) => r.message.enqueued_at.toISOString())}::timestamptz[])`;
}

/** Records failed attempts and pushes each message's next try out by its backoff. */
export async function scheduleRetries(
  tx: Sql,
  ids: number[],
  delaysMs: number[],
  errors: string[],
) {
  await tx`
    update actor.mailbox m set attempts = m.attempts + 1, last_error = r.error,
      run_after = now() + make_interval(secs => r.delay_ms / 1000.0)
    from unnest(${ids}::bigint[], ${delaysMs}::int[], ${errors}::text[]) as r(id, delay_ms, error)
    where m.id = r.id`;
}

/** Moves messages to the dead-letter table with their last error. */
export async function buryMessages(tx: Sql, ids: number[], errors: string[]) {
  await tx`
    with gone as (delete from actor.mailbox where id = any(${ids}::bigint[]) returning *)
    insert into actor.dead_letter
      (id, kind, key, type, body, attempts, last_error, reply_to, context, enqueued_at)
    select g.id, g.kind, g.key, g.type, g.body, g.attempts + 1, r.error, g.reply_to, g.context,
      g.enqueued_at
    from gone g join unnest(${ids}::bigint[], ${errors}::text[]) as r(id, error) using (id)`;
}

/**
 * The payload of a `bss_mailbox` notification: `kind|origin|delayMs`. `origin` names the
 * sending process when it wakes its own loops itself (its listener skips the echo); `delayMs`
 * is how long until some of the kind's new messages fall due (one notification per distinct
 * delay; the wake is put off by it).
 * A bare kind (or an empty payload: every kind) wakes at once.
 */
export function parseWake(payload: string): { kind: string; origin: string; delayMs: number } {
  const [kind, origin = "", delay = "0"] = payload.split("|");
  return { kind, origin, delayMs: Number(delay) || 0 };
}

/**
 * Inserts messages (and their actors, if new) and wakes the processes that handle their
 * kinds (see {@link parseWake}; `origin`: the sender wakes its own loops). `ON CONFLICT DO
 * NOTHING` takes no lock on an existing actor row, so sending to a busy actor never waits for
 * it. Returns the new message ids, in input order, each with `wake_in_ms`: how long until it
 * falls due, counted from this statement. A delay runs from the sending transaction's start
 * (`run_after = now() + delay`), so in a long batch part of it is over by the time the batch
 * commits: waking a full delay after the commit would run the message late by the batch's
 * length. With `onlyIf` (a statement, e.g. an `update … returning`), the messages go in only
 * when it returns a row, in the same statement.
 */
export async function enqueueMany(
  sql: Sql,
  messages: NewMessage[],
  origin = "",
  onlyIf?: Fragment,
) {
  const col = <T>(f: (m: NewMessage) => T) => messages.map(f);
  return await sql<{ id: number; wake_in_ms: number }[]>`
    with ${onlyIf ? sql`guard as (${onlyIf}),` : sql``} input as (
      select * from unnest(${col((m) => m.kind)}::text[], ${col((m) => m.key)}::text[],
        ${col((m) => m.body.type)}::text[], ${jsonb(col((m) => m.body))}::text[]::jsonb[],
        ${col((m) => m.deliverAt?.toISOString() ?? null)}::timestamptz[],
        ${col((m) => m.replyTo ?? null)}::text[], ${jsonb(col((m) => m.context))}::text[]::jsonb[],
        ${col((m) => m.delayMs ?? 0)}::int[])
        with ordinality as i(kind, key, type, body, deliver_at, reply_to, context, delay_ms, n)
      ${onlyIf ? sql`where exists (select from guard)` : sql``}
    ), due as (
      select n,
        greatest(0, ceil(delay_ms - extract(epoch from clock_timestamp() - now()) * 1000))::int
          as wake_in_ms
      from input
    ), actors as (
      insert into actor.actor (kind, key) select distinct kind, key from input
      on conflict do nothing
    ), inserted as (
      insert into actor.mailbox (kind, key, type, body, deliver_at, reply_to, context, run_after)
      select kind, key, type, body, deliver_at, reply_to, context,
        now() + make_interval(secs => delay_ms / 1000.0)
      from input order by n
      returning id
    ), woken as (
      select pg_notify('bss_mailbox', kind || '|' || ${origin} || '|' || wake_in_ms)
      from (select distinct kind, wake_in_ms from input join due using (n)) k
    )
    select i.id, d.wake_in_ms
    from (select id, row_number() over (order by id) as n from inserted) i join due d using (n),
      (select count(*) from woken) w
    order by i.id`;
}

/** Stores replies for askers in other processes and tells them (NOTIFY bss_reply). */
export async function storeReplies(
  tx: Sql,
  replies: { id: string; ok: boolean; body: unknown }[],
) {
  await tx`
    with stored as (
      insert into actor.reply (id, ok, body)
      select * from unnest(${replies.map((r) => r.id)}::text[],
        ${replies.map((r) => (r.ok ? "t" : "f"))}::text[]::boolean[], ${
    jsonb(replies.map((r) => r.body ?? null))
  }::text[]::jsonb[])
      returning id
    )
    select pg_notify('bss_reply', id) from stored`;
}

/** Takes (reads and deletes) the stored replies among `ids`. */
export async function takeReplies(sql: Sql, ids: string[]) {
  return await sql<{ id: string; ok: boolean; body: unknown }[]>`
    delete from actor.reply where id = any(${ids}::text[]) returning id, ok, body`;
}

/** Deletes history older than a day and replies nobody collected within an hour. */
export async function prune(sql: Sql) {
  await sql`
    with h as (delete from actor.history where handled_at < now() - interval '1 day')
    delete from actor.reply where created_at < now() - interval '1 hour'`;
}
