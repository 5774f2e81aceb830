/**
 * The outcome of one drain transaction, gathered while handlers run and written in a few
 * set-based statements just before commit. Nothing a handler staged reaches the database
 * unless its turn succeeded.
 *
 * @module
 */
import { toWireError, type WireError } from "../../kernel/errors.ts";
import { type StagedEvent, writeEvents } from "../../kernel/events.ts";
import type { TransactionSql } from "postgres";
import type { EventSink } from "./types.ts";
import {
  buryMessages,
  enqueueMany,
  type MailRow,
  type NewMessage,
  recordHistory,
  releaseTurnClaim,
  removeMessages,
  scheduleRetries,
  storeReplies,
} from "./sql.ts";

/** A reply owed to an asker once the batch commits. */
export interface Reply {
  to: string;
  ok: boolean;
  body: unknown;
}

const errorText = (e: unknown) =>
  (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 2000);

/** Everything one drain transaction will write. */
export class Batch {
  readonly removed: number[] = [];
  readonly retries: { id: number; kind: string; delayMs: number; error: string }[] = [];
  readonly buried: { id: number; error: string }[] = [];
  readonly history: { message: MailRow; outcome: string; detail: string | null }[] = [];
  readonly outgoing: NewMessage[] = [];
  readonly events: StagedEvent[] = [];
  readonly replies: Reply[] = [];
  /** The batch recorded a turn claim (removed by the flush). */
  claimed = false;

  /** The handler succeeded: its staged messages and events go out with the batch. */
  done(m: MailRow, value: unknown, outgoing: NewMessage[], events: StagedEvent[]): void {
    this.removed.push(m.id);
    this.outgoing.push(...outgoing);
    this.events.push(...events);
    this.history.push({ message: m, outcome: "ok", detail: null });
    this.#reply(m, true, value ?? null);
  }

  /** The handler answered with a PolicyViolation or NotFound: removed, no effects. */
  rejected(m: MailRow, e: unknown): void {
    const wire = toWireError(e);
    this.removed.push(m.id);
    this.history.push({ message: m, outcome: "rejected", detail: wire.message });
    this.#reply(m, false, wire);
  }

  /** The handler failed; it will be tried again after `delayMs`. */
  retry(m: MailRow, e: unknown, delayMs: number): void {
    this.retries.push({ id: m.id, kind: m.kind, delayMs, error: errorText(e) });
    this.history.push({ message: m, outcome: "retry", detail: errorText(e) });
  }

  /** The message can never succeed or ran out of attempts: it moves to dead letters. */
  bury(m: MailRow, e: unknown): void {
    this.buried.push({ id: m.id, error: errorText(e) });
    this.history.push({ message: m, outcome: "dead", detail: errorText(e) });
    const wire: WireError = { code: "HANDLER_FAILED", message: `dead-lettered: ${errorText(e)}` };
    this.#reply(m, false, wire);
  }

  #reply(m: MailRow, ok: boolean, body: unknown) {
    if (m.reply_to) this.replies.push({ to: m.reply_to, ok, body });
  }

  /**
   * Writes the batch; `isLocal` tells which replies this process hands over in memory;
   * `origin` (this process) wakes its own loops for the outgoing messages after commit;
   * `events`, when given, writes and delivers the events in the batch (else the outbox).
   */
  async flush(
    tx: TransactionSql,
    isLocal: (replyTo: string) => boolean,
    origin = "",
    events?: EventSink,
  ): Promise<void> {
    const remote = this.replies.filter((r) => !isLocal(r.to));
    const writes: PromiseLike<unknown>[] = [];
    if (this.claimed) writes.push(releaseTurnClaim(tx));
    if (this.removed.length) writes.push(removeMessages(tx, this.removed));
    if (this.retries.length) {
      const r = this.retries;
      writes.push(
        scheduleRetries(tx, r.map((x) => x.id), r.map((x) => x.delayMs), r.map((x) => x.error)),
      );
    }
    if (this.buried.length) {
      writes.push(buryMessages(tx, this.buried.map((x) => x.id), this.buried.map((x) => x.error)));
    }
    if (this.history.length) writes.push(recordHistory(tx, this.history));
    if (this.outgoing.length) writes.push(enqueueMany(tx, this.outgoing, origin));
    if (this.events.length && !events) writes.push(writeEvents(tx, this.events));
    if (remote.length) {
      writes.push(storeReplies(tx, remote.map((r) => ({ id: r.to, ok: r.ok, body: r.body }))));
    }
    await Promise.all(writes);
    // After the pipelined writes: the sink may open a savepoint of its own.
    if (this.events.length && events) await events(tx, this.events);
  }
}
