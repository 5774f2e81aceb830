/**
 * One drain loop: lock ready actors, handle their messages in order inside one transaction,
 * write the outcome, commit, hand over local replies, repeat; sleep on the wake signal when
 * there is nothing to do.
 *
 * @module
 */
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import type { Pool, Sql } from "../../kernel/db/types.ts";
import { setImmediate } from "node:timers";
import { clock } from "../../kernel/clock.ts";
import { type CallerContext, SYSTEM, withCaller } from "../../kernel/context.ts";
import { isConnectionLoss } from "../../kernel/db/connection_loss.ts";
import { isAnswer } from "../../kernel/errors.ts";
import {
  currentTraceparent,
  type DomainEvent,
  type StagedEvent,
  stageEvent,
} from "../../kernel/events.ts";
import { log } from "../../kernel/log.ts";
import { armedByAttribute, armedByLinks } from "../../kernel/telemetry/links.ts";
import type { Asks } from "./asks.ts";
import { Batch, type Reply } from "./batch.ts";
import {
  claimAndLoad,
  dropTurnClaim,
  lockIdleActor,
  lockReadyActors,
  type MailRow,
  type NewMessage,
} from "./sql.ts";
import { turnSql } from "./turn_sql.ts";
import type { ActorKind, Envelope, EventSink, RuntimeOptions, TellOptions, Turn } from "./types.ts";

const tracer = trace.getTracer("bss.actors");

/** A statement run before a turn run at once; the turn runs only if it returns a row. */
export type Guard = (tx: Sql) => PromiseLike<readonly unknown[]>;

/** What became of a turn run at once (see `Worker.runAlone`). */
export type RanAlone =
  | { outcome: "ran"; reply: Reply }
  | { outcome: "mailbox" }
  | { outcome: "unguarded" };

/** How a turn is run at once (see `Worker.runAlone`). */
export interface RunOptions {
  /** A statement sent first in the turn's transaction; the turn runs only if it returns a row. */
  guard?: Guard;
  /** Whether the turn's messages to idle actors hosted here run in its transaction too. */
  cascade?: boolean;
}

/** Finds the worker of this process that runs `kind`'s turns at once, if any may now. */
export type AtOnce = (kind: string) => Worker | undefined;

/**
 * Turns run at once inside one transaction after its own (see `Worker.#cascade`): enough for
 * an order's longest chain (four provisioning intakes; a task's completion through the
 * service order and the order to the subscription), few enough to keep the locks short.
 */
const CASCADE_LIMIT = 16;

/** A statement of a turn run inside another's transaction failed: that transaction is lost. */
class CascadeFailed extends Error {
  override name = "CascadeFailed";
}

/** A turn run at once that did not run, its transaction rolled back. */
class NotRun extends Error {
  override name = "NotRun";
  constructor(readonly outcome: "mailbox" | "unguarded") {
    super(outcome);
  }
}

/** A body that fails its kind's `parse`: retrying cannot help. */
class Poison extends Error {
  override name = "Poison";
}

/**
 * Caller attribution and trace context stored with a message. A timer (`deliverAt` on the
 * BSS clock: a renewal, a reminder) keeps the arming trace as `armedBy` instead of
 * `traceparent`: it fires in a trace of its own with a span link back, so one order's trace
 * does not grow by every renewal of its line for months.
 */
export function messageContext(
  caller: CallerContext,
  traceparent: string | null,
  timer = false,
) {
  return {
    actor: caller.actor,
    channel: caller.channel,
    serviceIdentity: caller.serviceIdentity,
    tenant: caller.tenant,
    requestId: caller.requestId,
    [timer ? "armedBy" : "traceparent"]: traceparent ?? undefined,
  };
}

/** The parent context of a message's span and, for a timer, the span link to its arming. */
function traceOf(row: MailRow) {
  const { armedBy, traceparent } = row.context;
  if (!armedBy) {
    return { parent: propagation.extract(context.active(), { traceparent }), links: [] };
  }
  return { parent: ROOT_CONTEXT, links: armedByLinks(armedBy) };
}

function callerOf(row: MailRow): CallerContext {
  const c = row.context;
  return {
    actor: c.actor ?? "system",
    channel: c.channel ?? "system",
    serviceIdentity: c.serviceIdentity ?? SYSTEM.serviceIdentity,
    tenant: c.tenant ?? "DEFAULT",
    requestId: c.requestId,
  };
}

/** A batch given up because a turn's own statement failed; `recovery` holds that turn's outcome. */
class PoisonedBatch extends Error {
  override name = "PoisonedBatch";
  constructor(readonly recovery: Batch) {
    super("a turn's statement failed");
  }
}

/** A message run at once, as the mailbox row it never became; `id` names it in the history. */
function unsentRow(id: number, m: NewMessage): MailRow {
  return {
    id,
    kind: m.kind,
    key: m.key,
    type: m.body.type,
    body: m.body,
    attempts: 0,
    last_error: null,
    reply_to: m.replyTo ?? null,
    context: m.context as Record<string, string>,
    enqueued_at: new Date(),
    ready: true,
  };
}

/** Whether some actor of `rows` (in actor order) got all `perActor` messages a batch loads. */
function fillsItsShare(rows: MailRow[], perActor: number): boolean {
  let run = 0;
  for (let i = 0; i < rows.length; i++) {
    const same = i > 0 && rows[i].kind === rows[i - 1].kind && rows[i].key === rows[i - 1].key;
    run = same ? run + 1 : 1;
    if (run >= perActor) return true;
  }
  return false;
}

/** Drains the mailboxes of the kinds registered in this process. */
export class Worker {
  constructor(
    private readonly sql: Pool,
    private readonly kinds: Map<string, ActorKind>,
    private readonly asks: Asks,
    private readonly options: RuntimeOptions,
    /**
     * Called after a commit that sent messages, with each distinct delay per kind (hosted here
     * or not): a timer per delay, since one for the shortest alone would leave the later
     * messages to the next poll. The NOTIFY of that commit names this process, which skips its
     * echo.
     */
    private readonly wake: (kinds: Map<string, Set<number>>) => void,
    /** Delivers the batch's events in its transaction (else they go to the outbox). */
    private readonly events?: EventSink,
    /** The workers that may run the batch's messages in its transaction (see #cascade). */
    private readonly atOnce?: AtOnce,
  ) {}

  /**
   * Runs one batch; returns how many messages it handled (any outcome), whether it locked as
   * many actors as it may (so more may be waiting), and whether it left due mail of its actors
   * behind (`more`: a full batch, an actor with more messages than a batch loads, a message
   * held back to run alone). Mail sent while it ran is not its business: every send wakes
   * the kind.
   *
   * Three round trips besides the handlers' own statements: the lock, with BEGIN before it in
   * the same write and the reads that ride along; the claim-and-load, on a connection of its
   * own; and the batch's writes, which go out with the COMMIT. (`sql.begin` keeps the
   * transaction: it alone notices a connection that closes between two statements, where a
   * query sent on it would never settle.)
   */
  async drainOnce(): Promise<{ handled: number; full: boolean; more: boolean }> {
    const o = this.options;
    let full = false;
    let more = false;
    const outcome = await this.sql.begin(async (tx) => {
      const actors = await lockReadyActors(
        tx,
        [...this.kinds.keys()],
        o.batchActors * o.batchPerActor,
        o.batchActors,
        this.events?.prepare(tx),
      );
      if (actors.length === 0) return undefined;
      // The clock as of this batch: a freeze made by any process is seen here.
      clock.apply(actors[0].clock);
      const prepared = actors[0].prepared;
      full = actors.length >= o.batchActors;
      const rows = await claimAndLoad(this.sql, actors[0].xid, actors, o.batchPerActor);
      more = full || rows.some((r) => r.ready && !r.runnable) ||
        fillsItsShare(rows, o.batchPerActor);
      const batch = new Batch();
      batch.claimed = rows.some((r) => r.runnable);
      let blocked: string | undefined;
      for (const row of rows) {
        const actor = `${row.kind}\u0000${row.key}`;
        if (actor === blocked) continue;
        // FIFO: a message waiting out its backoff, or failing now, holds back those behind it.
        if (!row.ready) blocked = actor;
        else if (row.runnable && !(await this.#handle(tx, row, batch))) blocked = actor;
        if (batch.recovery) {
          await this.#writeRecovery(batch, actors[0].xid);
          throw new PoisonedBatch(batch.recovery);
        }
      }
      // Only a batch of one actor cascades: a bigger one means load, under which the mailbox
      // batches the messages more cheaply. A batch that runs again (it died, or a cascade in
      // it failed) keeps to the mailbox: a turn that kills its process is then run by its own
      // claim, which bounds it.
      if (actors.length === 1 && rows.every((r) => r.attempts === 0)) {
        await this.#cascade(tx, batch, prepared);
      }
      return await this.#issue(tx, batch, (to) => this.asks.isLocal(to), prepared);
    }).catch((e) => {
      if (e instanceof PoisonedBatch || e instanceof CascadeFailed) return e;
      throw e;
    });
    if (outcome instanceof PoisonedBatch) return this.#recover(outcome);
    if (outcome instanceof CascadeFailed) {
      // Rolled back; its claim counts an attempt on its messages, so the next batch, at once,
      // runs them without cascading.
      log.warn("actor.cascade.failed", { error: outcome.message });
      return { handled: 1, full: true, more: true };
    }
    if (!outcome) return { handled: 0, full, more };
    // A failed write aborted the transaction and the COMMIT rolled it back: the batch fails
    // as a whole (its claim counts the attempt), and nothing is handed over or woken.
    await outcome.written;
    const { batch } = outcome;
    this.#afterCommit(batch);
    const handled = batch.removed.length + batch.retries.length + batch.buried.length;
    return { handled, full, more };
  }

  /**
   * Runs one message's turn at once, without the mailbox, when its actor is idle: one
   * transaction locks the actor, runs the turn and writes its outcome, as a batch of one would.
   * With a `guard`, a statement sent first in that transaction, nothing happens unless it
   * returns a row (`unguarded`); with `cascade`, the turn's messages may run in it too (see
   * #cascade). `mailbox`, having changed nothing: the message must take the mailbox, because
   * the actor is busy or has mail before it, or the turn failed other than with an answer, or
   * the server refused one of its writes (the mailbox then retries it with its backoff and
   * attempt count).
   */
  async runAlone(
    kind: string,
    key: string,
    body: Envelope,
    context: Record<string, string | undefined>,
    { guard, cascade = false }: RunOptions = {},
  ): Promise<RanAlone> {
    const outcome = await this.sql.begin(async (tx) => {
      const [[actor], guarded] = await Promise.all([
        lockIdleActor(tx, kind, key, this.events?.prepare(tx)),
        guard?.(tx) ?? [true],
      ]);
      if (guarded.length === 0) throw new NotRun("unguarded");
      if (!actor) throw new NotRun("mailbox");
      clock.apply(actor.clock);
      // Any reply address: the batch is told every reply is local, and it is returned below.
      const row = unsentRow(actor.id, { kind, key, body, context, replyTo: "run-alone" });
      const batch = new Batch();
      const ok = await this.#handle(tx, row, batch);
      if (!ok || batch.recovery || batch.buried.length) throw new NotRun("mailbox");
      if (cascade) await this.#cascade(tx, batch, actor.prepared);
      return await this.#issue(tx, batch, () => true, actor.prepared);
    }).catch((e) => {
      if (e instanceof NotRun) return e;
      if (e instanceof CascadeFailed) return new NotRun("mailbox");
      throw e;
    });
    if (outcome instanceof NotRun) return { outcome: outcome.outcome };
    try {
      await outcome.written;
    } catch (e) {
      // The server refused a write (a deadlock between deliveries, say): the transaction was
      // aborted and its COMMIT rolled it back, so the mailbox may run the message (a batch
      // would retry it). A lost connection may have lost the answer to a COMMIT that held:
      // that error stays the asker's.
      if (e instanceof Error && e.name === "PostgresError" && !isConnectionLoss(e)) {
        return { outcome: "mailbox" };
      }
      throw e;
    }
    this.#afterCommit(outcome.batch);
    return { outcome: "ran", reply: outcome.batch.replies[0] };
  }

  /**
   * Runs in `tx`, after the batch's own turns, the turns of the messages it sends (its tells
   * and its events' deliveries) to idle actors whose kinds this process hosts without a
   * backlog, and then those of their messages, up to {@link CASCADE_LIMIT}: each hop then costs
   * no commit, wake-up, lock and claim of its own. A message not run so, and every later one
   * to its actor, takes the mailbox (FIFO). Delivery stays exactly once: it all commits or
   * rolls back together, and the events' inbox claims are written as before.
   *
   * A turn run so is not claimed: if it kills the process, the batch's own messages count the
   * attempt, and a batch run again does not cascade, so that turn then runs from its mailbox.
   */
  async #cascade(tx: Sql, batch: Batch, prepared: unknown): Promise<void> {
    if (!this.atOnce) return;
    const blocked = new Set<string>();
    const ranTells = new Set<NewMessage>();
    let budget = CASCADE_LIMIT;
    let tellsSeen = 0;
    while (budget > 0) {
      const candidates: { message: NewMessage; ran: () => void }[] = batch.outgoing
        .slice(tellsSeen)
        .map((message) => ({ message, ran: () => ranTells.add(message) }));
      tellsSeen = batch.outgoing.length;
      const group = this.events && batch.route(this.events, prepared);
      group?.routed.messages.forEach((message, i) =>
        candidates.push({ message, ran: () => group.ranHere.add(i) })
      );
      if (candidates.length === 0) break;
      for (const { message, ran } of candidates) {
        const actor = `${message.kind}\u0000${message.key}`;
        const now = !message.delayMs && !message.deliverAt && !message.replyTo;
        const worker = now && budget > 0 && !blocked.has(actor)
          ? this.atOnce(message.kind)
          : undefined;
        if (worker && await worker.#runInside(tx, message, batch)) {
          ran();
          budget--;
        } else blocked.add(actor);
      }
    }
    if (ranTells.size) batch.dropOutgoing(ranTells);
  }

  /**
   * Runs `message`'s turn in `tx`, another turn's transaction (see #cascade), when its actor is
   * idle; its outcome joins `into`. False, having changed nothing: it takes the mailbox.
   */
  async #runInside(tx: Sql, message: NewMessage, into: Batch): Promise<boolean> {
    const what = `${message.kind} ${message.body.type}`;
    // A failed statement fails the whole transaction (postgres.js): nothing of it can commit.
    const [actor] = await lockIdleActor(tx, message.kind, message.key).catch((e) => {
      throw new CascadeFailed(`${what}: ${e}`);
    });
    if (!actor) return false;
    const own = new Batch();
    const ok = await this.#handle(tx, unsentRow(actor.id, message), own);
    if (own.recovery) throw new CascadeFailed(what);
    if (!ok || own.buried.length) return false;
    into.absorb(own);
    return true;
  }

  /**
   * Sends the batch's writes without waiting; `written` settles once they are done (await it
   * after the transaction). The writes are sent by async functions a few microtasks from now,
   * and `sql.begin` sends COMMIT when its callback returns: this returns after the next
   * macrotask boundary, so the writes precede the COMMIT and share its round trip.
   */
  async #issue(tx: Sql, batch: Batch, isLocal: (replyTo: string) => boolean, prepared: unknown) {
    const written = Promise.all(
      batch.issue(tx, isLocal, this.asks.processId, this.events, prepared),
    );
    written.catch(() => {}); // awaited by the caller, once the transaction is over
    await new Promise((resolve) => setImmediate(resolve));
    return { batch, written };
  }

  /**
   * A turn's own statement failed, so the batch will roll back (postgres.js fails the whole
   * transaction): that turn's outcome (retry with its error, dead letter, or answer) is
   * written now, in a transaction of its own while the batch still holds its actors, and the
   * batch's claim is dropped, so the other messages run again in the next batch without an
   * attempt counted against them and the failed one is not run again before its outcome is in.
   */
  async #writeRecovery(batch: Batch, xid: string): Promise<void> {
    const recovery = batch.recovery!;
    await this.sql.begin((side) =>
      Promise.all([
        ...(batch.claimed ? [dropTurnClaim(side, xid)] : []),
        ...recovery.issue(side, (to) => this.asks.isLocal(to), this.asks.processId),
      ])
    );
  }

  /** After the rollback: hands over the recovered turn's answer and wakes its kind. */
  #recover({ recovery }: PoisonedBatch): { handled: number; full: boolean; more: boolean } {
    this.#afterCommit(recovery);
    // The batch's other messages are still due: their loop goes on at once.
    return { handled: 1, full: true, more: true };
  }

  /** Hands over local replies and wakes the kinds the batch sent messages to. */
  #afterCommit(batch: Batch): void {
    for (const r of batch.replies) {
      if (this.asks.isLocal(r.to)) this.asks.settle(r.to, r.ok, r.body);
    }
    const sent = new Map<string, Set<number>>();
    const add = (kind: string, delayMs: number) =>
      sent.set(kind, (sent.get(kind) ?? new Set()).add(delayMs));
    batch.outgoing.forEach((m, i) => add(m.kind, batch.wakeInMs(i)));
    for (const m of batch.delivered) add(m.kind, 0);
    // A retried message wakes its kind again when its backoff is over.
    for (const r of batch.retries) add(r.kind, r.delayMs);
    if (sent.size) this.wake(sent);
    for (const fn of batch.committed) {
      try {
        fn();
      } catch (e) {
        log.warn("actor.after_commit.failed", { error: String(e) });
      }
    }
  }

  /** Handles one message; false when it failed and will be retried (the actor is blocked). */
  async #handle(tx: Sql, row: MailRow, batch: Batch): Promise<boolean> {
    if (row.attempts >= this.options.maxAttempts) {
      // Its earlier turns never finished (see claimAndLoad): do not run it again.
      const reason = `gave up after ${row.attempts} attempts: ${row.last_error}`;
      log.warn("actor.message.dead_lettered", { kind: row.kind, key: row.key, id: row.id, reason });
      batch.bury(row, new Error(reason));
      return true;
    }
    const kind = this.kinds.get(row.kind)!;
    const caller = callerOf(row);
    const outgoing: NewMessage[] = [];
    const { parent, links } = traceOf(row);
    const span = tracer.startSpan(`${row.kind} ${row.type}`, {
      kind: SpanKind.CONSUMER,
      links,
      attributes: {
        ...armedByAttribute(links),
        "bss.service": kind.service ?? row.kind,
        "bss.actor.kind": row.kind,
        "bss.actor.key": row.key,
        "bss.message.id": row.id,
        "bss.message.attempt": row.attempts + 1,
        "bss.actor": caller.actor,
        "bss.channel": caller.channel,
        "bss.service.identity": caller.serviceIdentity,
      },
    }, parent);
    const sqlTracing = span.isRecording() ? this.options.sqlSpans : "off";
    const ts = turnSql(tx, `m${row.id}`, sqlTracing);
    const events: StagedEvent[] = [];
    const committed: Array<() => void> = [];
    const turn: Turn = {
      kind: row.kind,
      key: row.key,
      messageId: row.id,
      attempt: row.attempts + 1,
      sql: ts.sql,
      caller,
      now: () => clock.now(),
      tell: (k: string, key: string, body: Envelope, opts?: TellOptions) =>
        outgoing.push({
          kind: k,
          key,
          body,
          deliverAt: opts?.deliverAt,
          delayMs: opts?.delayMs,
          context: messageContext(
            opts?.as ?? caller,
            currentTraceparent(),
            opts?.deliverAt !== undefined,
          ),
        }),
      emit: (...evs: DomainEvent[]) => events.push(...evs.map((e) => stageEvent(e, caller))),
      afterCommit: (fn) => committed.push(fn),
      cancelTimers: async (...types: string[]) => {
        await ts.sql`
          delete from actor.mailbox
          where kind = ${row.kind} and key = ${row.key} and deliver_at > kernel.bss_now()
            and type = any(${types}::text[])`;
      },
    };
    try {
      await withCaller(caller, () =>
        context.with(trace.setSpan(parent, span), async () => {
          let message: Envelope;
          try {
            message = kind.parse ? kind.parse(row.body) : row.body as Envelope;
          } catch (e) {
            throw new Poison(`invalid ${row.kind} message: ${e instanceof Error ? e.message : e}`);
          }
          const value = await kind.handle(turn, message);
          ts.release();
          batch.done(row, value, outgoing, events, committed);
        }));
      return true;
    } catch (e) {
      await ts.rollback();
      // A failed statement fails the whole batch at its end (postgres.js): the outcome is
      // written apart, in a transaction of its own (see #writeRecovery).
      const outcome = ts.failed() ? batch.poisoned() : batch;
      if (isAnswer(e)) {
        outcome.rejected(row, e);
        return true;
      }
      span.setStatus({ code: SpanStatusCode.ERROR, message: String(e) });
      if (e instanceof Poison || row.attempts + 1 >= this.options.maxAttempts) {
        log.warn("actor.message.dead_lettered", {
          kind: row.kind,
          key: row.key,
          id: row.id,
          error: String(e),
        });
        outcome.bury(row, e);
        return true;
      }
      const delay = Math.min(this.options.backoffMs * 2 ** row.attempts, 60_000);
      log.info("actor.message.retry", {
        kind: row.kind,
        key: row.key,
        id: row.id,
        delay,
        error: String(e),
      });
      outcome.retry(row, e, delay);
      return false;
    } finally {
      span.setAttributes(ts.summary());
      span.end();
    }
  }
}
