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
import type { TransactionSql } from "postgres";
import { clock } from "../../kernel/clock.ts";
import { type CallerContext, SYSTEM, withCaller } from "../../kernel/context.ts";
import type { Pool } from "../../kernel/db/types.ts";
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
import { Batch } from "./batch.ts";
import {
  claimTurns,
  currentXact,
  loadMessages,
  lockReadyActors,
  type MailRow,
  type NewMessage,
} from "./sql.ts";
import { turnSql } from "./turn_sql.ts";
import type { ActorKind, Envelope, EventSink, RuntimeOptions, TellOptions, Turn } from "./types.ts";

const tracer = trace.getTracer("bss.actors");

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

/** Drains the mailboxes of the kinds registered in this process. */
export class Worker {
  constructor(
    private readonly sql: Pool,
    private readonly kinds: Map<string, ActorKind>,
    private readonly asks: Asks,
    private readonly options: RuntimeOptions,
    /**
     * Called after a commit that sent messages, with the shortest delay per kind (hosted here
     * or not); the NOTIFY of that commit names this process, which skips its echo.
     */
    private readonly wake: (kinds: Map<string, number>) => void,
    /** Delivers the batch's events in its transaction (else they go to the outbox). */
    private readonly events?: EventSink,
  ) {}

  /**
   * Runs one batch; returns how many messages it handled (any outcome) and whether it locked
   * as many actors as it may (so more may be waiting).
   */
  async drainOnce(): Promise<{ handled: number; full: boolean }> {
    const o = this.options;
    let full = false;
    const batch = await this.sql.begin(async (tx) => {
      const actors = await lockReadyActors(
        tx,
        [...this.kinds.keys()],
        o.batchActors * o.batchPerActor,
        o.batchActors,
      );
      if (actors.length === 0) return undefined;
      full = actors.length >= o.batchActors;
      // Pipelined. The clock as of this batch: a freeze made by any process is seen here.
      const [rows, xid] = await Promise.all([
        loadMessages(tx, actors, o.batchPerActor),
        currentXact(tx),
        clock.refresh(tx),
      ]);
      const batch = new Batch();
      // A message tried before (failed, or its turn never finished) runs alone in its batch:
      // if it kills the process again, only its own attempt is counted, not its neighbours'.
      const ready = rows.filter((r) => r.ready);
      const suspect = ready.find((r) => r.attempts > 0);
      const runnable = new Set(suspect ? [suspect.id] : ready.map((r) => r.id));
      if (runnable.size) {
        // The attempt is counted before any handler runs (see claimTurns).
        const counted = await claimTurns(this.sql, xid, [...runnable]);
        batch.claimed = true;
        // Some of these messages were in a batch that died: load them again, as suspects.
        if (counted.some((c) => runnable.has(c.id))) runnable.clear();
      }
      let blocked: string | undefined;
      for (const row of rows) {
        const actor = `${row.kind}\u0000${row.key}`;
        if (actor === blocked) continue;
        // FIFO: a message waiting out its backoff, or failing now, holds back those behind it.
        if (!row.ready) blocked = actor;
        else if (runnable.has(row.id) && !(await this.#handle(tx, row, batch))) blocked = actor;
      }
      await batch.flush(tx, (to) => this.asks.isLocal(to), this.asks.processId, this.events);
      return batch;
    });
    if (!batch) return { handled: 0, full };
    for (const r of batch.replies) {
      if (this.asks.isLocal(r.to)) this.asks.settle(r.to, r.ok, r.body);
    }
    const sent = new Map<string, number>();
    for (const m of batch.outgoing) {
      sent.set(m.kind, Math.min(sent.get(m.kind) ?? Infinity, m.delayMs ?? 0));
    }
    // A retried message wakes its kind again when its backoff is over.
    for (const r of batch.retries) {
      sent.set(r.kind, Math.min(sent.get(r.kind) ?? Infinity, r.delayMs));
    }
    if (sent.size) this.wake(sent);
    return { handled: batch.removed.length + batch.retries.length + batch.buried.length, full };
  }

  /** Handles one message; false when it failed and will be retried (the actor is blocked). */
  async #handle(tx: TransactionSql, row: MailRow, batch: Batch): Promise<boolean> {
    if (row.attempts >= this.options.maxAttempts) {
      // Its earlier turns never finished (see claimTurns): do not run it again.
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
          batch.done(row, value, outgoing, events);
        }));
      return true;
    } catch (e) {
      await ts.rollback();
      if (isAnswer(e)) {
        batch.rejected(row, e);
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
        batch.bury(row, e);
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
      batch.retry(row, e, delay);
      return false;
    } finally {
      span.setAttributes(ts.summary());
      span.end();
    }
  }
}
