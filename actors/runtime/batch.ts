/**
 * The outcome of one drain transaction, gathered while handlers run and written in a few
 * set-based statements just before commit. Nothing a handler staged reaches the database
 * unless its turn succeeded.
 *
 * @module
 */
import { toWireError, type WireError } from "../../kernel/errors.ts";
import { type StagedEvent, writeEvents } from "../../kernel/events.ts";
import type { Sql } from "../../kernel/db/types.ts";
import type { EventSink, RoutedEvents } from "./types.ts";
import {
  buryMessages,
  enqueueMany,
  type MailRow,
  type NewMessage,
  scheduleRetries,
  settleTurns,
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
  /** Messages the event sink enqueued for the batch's events (their kinds are woken). */
  readonly delivered: { kind: string }[] = [];
  /**
   * The events routed so far, a group per call of {@link route}, with the deliveries whose
   * turns the batch ran at once (not enqueued).
   */
  #routed: { routed: RoutedEvents; ranHere: Set<number> }[] = [];
  /** How many of {@link events} are routed. */
  #routedUpTo = 0;
  /** When each outgoing message falls due (`performance.now()` ms), once they are written. */
  #dueAt: number[] = [];
  /** The batch recorded a turn claim (removed with the batch's writes). */
  claimed = false;
  /**
   * The outcome of a turn whose own statement failed: postgres.js fails the whole transaction
   * then, so this outcome is written by a transaction of its own while the batch still holds
   * its actors, before it rolls back (see `Worker`), and the batch's other messages run again.
   */
  recovery?: Batch;

  /** Where the outcome of a turn with a failed statement goes (see {@link recovery}). */
  poisoned(): Batch {
    return this.recovery ??= new Batch();
  }

  /** Run in this process after the batch commits (see `Turn.afterCommit`). */
  readonly committed: Array<() => void> = [];

  /** The handler succeeded: its staged messages, events and after-commit calls go with it. */
  done(
    m: MailRow,
    value: unknown,
    outgoing: NewMessage[],
    events: StagedEvent[],
    afterCommit: Array<() => void> = [],
  ): void {
    this.removed.push(m.id);
    this.outgoing.push(...outgoing);
    this.events.push(...events);
    this.committed.push(...afterCommit);
    this.history.push({ message: m, outcome: "ok", detail: null });
    this.#reply(m, true, value ?? null);
  }

  /** A turn run at once inside this batch's transaction: its outcome becomes this batch's. */
  absorb(turn: Batch): void {
    this.removed.push(...turn.removed);
    this.history.push(...turn.history);
    this.outgoing.push(...turn.outgoing);
    this.events.push(...turn.events);
    this.committed.push(...turn.committed);
    this.replies.push(...turn.replies);
  }

  /** Takes `ran` out of the outgoing messages: the batch ran their turns at once. */
  dropOutgoing(ran: ReadonlySet<NewMessage>): void {
    const kept = this.outgoing.filter((m) => !ran.has(m));
    this.outgoing.splice(0, this.outgoing.length, ...kept);
  }

  /** Routes the events staged since the last call through `sink`; null when there are none. */
  route(sink: EventSink, prepared: unknown): { routed: RoutedEvents; ranHere: Set<number> } | null {
    if (this.#routedUpTo === this.events.length) return null;
    const group = {
      routed: sink.route(this.events.slice(this.#routedUpTo), prepared),
      ranHere: new Set<number>(),
    };
    this.#routedUpTo = this.events.length;
    this.#routed.push(group);
    return group;
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

  /**
   * After commit: ms until outgoing message `i` falls due. Counted from when the database
   * answered, which is after it measured, so a wake-up is never early (an early one would find
   * nothing due and leave the message to the poll).
   */
  wakeInMs(i: number): number {
    const at = this.#dueAt[i];
    if (at === undefined) return this.outgoing[i].delayMs ?? 0;
    return Math.max(0, Math.ceil(at - performance.now()));
  }

  #reply(m: MailRow, ok: boolean, body: unknown) {
    if (m.reply_to) this.replies.push({ to: m.reply_to, ok, body });
  }

  /**
   * Sends the batch's writes without waiting (they go out with the COMMIT that follows) and
   * returns them; `isLocal` tells which replies this process hands over in memory; `origin`
   * (this process) wakes its own loops for the outgoing messages after commit; `events`,
   * when given, writes and delivers the events in the batch (else the outbox) with what it
   * `prepared`, and the messages it enqueued join {@link delivered}.
   */
  issue(
    tx: Sql,
    isLocal: (replyTo: string) => boolean,
    origin = "",
    events?: EventSink,
    prepared?: unknown,
  ): PromiseLike<unknown>[] {
    const remote = this.replies.filter((r) => !isLocal(r.to));
    const writes: PromiseLike<unknown>[] = [];
    if (this.claimed || this.removed.length || this.history.length) {
      writes.push(settleTurns(tx, this.claimed, this.removed, this.history));
    }
    if (this.retries.length) {
      const r = this.retries;
      writes.push(
        scheduleRetries(tx, r.map((x) => x.id), r.map((x) => x.delayMs), r.map((x) => x.error)),
      );
    }
    if (this.buried.length) {
      writes.push(buryMessages(tx, this.buried.map((x) => x.id), this.buried.map((x) => x.error)));
    }
    if (this.outgoing.length) {
      writes.push(
        enqueueMany(tx, this.outgoing, origin).then((rows) => {
          const now = performance.now();
          this.#dueAt = rows.map((r) => now + r.wake_in_ms);
        }),
      );
    }
    if (this.events.length && !events) writes.push(writeEvents(tx, this.events));
    if (this.events.length && events) {
      this.route(events, prepared);
      for (const { routed, ranHere } of this.#routed) {
        const { done, sent } = events.write(tx, routed, ranHere, origin);
        writes.push(done);
        this.delivered.push(...sent);
      }
    }
    if (remote.length) {
      writes.push(storeReplies(tx, remote.map((r) => ({ id: r.to, ok: r.ok, body: r.body }))));
    }
    return writes;
  }
}
