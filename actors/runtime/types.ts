/**
 * The contract between the actor runtime and the domains that define actor kinds.
 *
 * @module
 */
import type { CallerContext } from "../../kernel/context.ts";
import type { Fragment, Sql } from "../../kernel/db/types.ts";
import type { DomainEvent, StagedEvent } from "../../kernel/events.ts";
import type { NewMessage } from "./sql.ts";

/** A message body: a JSON object with a `type` discriminator. */
export interface Envelope {
  type: string;
  [field: string]: unknown;
}

/** Options of a `tell`. */
export interface TellOptions {
  /** A timer: not delivered before this BSS-clock instant. */
  deliverAt?: Date;
  /**
   * Not delivered for this many wall-clock ms, whatever the BSS clock does (simulated work
   * that must finish while scenarios freeze the clock). Like a retry backoff it holds back
   * the actor's later messages.
   */
  delayMs?: number;
  /**
   * The attribution the message carries instead of the sending turn's: a timer the system
   * fires later (a renewal) acts as the system, not as whoever armed it.
   */
  as?: CallerContext;
}

/** Everything a handler may touch while it handles one message. */
export interface Turn {
  readonly kind: string;
  readonly key: string;
  readonly messageId: number;
  /** 1 on first delivery, higher on retries. */
  readonly attempt: number;
  /**
   * The transaction the message is handled in: the handler's writes commit together with the
   * message's removal, its events and its outgoing messages, or not at all.
   */
  readonly sql: Sql;
  /** Attribution of the message (from the caller that sent it). */
  readonly caller: CallerContext;
  /** The BSS clock. */
  now(): Date;
  /** Sends a message, delivered only if this turn commits. */
  tell(kind: string, key: string, message: Envelope, options?: TellOptions): void;
  /** Stages domain events, written only if this turn commits. */
  emit(...events: DomainEvent[]): void;
  /**
   * Withdraws this actor's BSS-clock timers of the given message types that have not fired
   * (e.g. a terminated line's renewal and reminder), if this turn commits.
   */
  cancelTimers(...types: string[]): Promise<void>;
  /**
   * Runs `fn` in this process once the turn has committed (not at all if it does not): a
   * local wake-up that need not wait for a notification's round through the database.
   */
  afterCommit(fn: () => void): void;
}

/** A kind of actor: how its messages are handled and how its state is shown. */
export interface ActorKind<M extends Envelope = Envelope> {
  /** e.g. `order`, `customer`, `subscription`. */
  kind: string;
  /** The service that owns the kind (`com`, `crm`, …): the swimlane column of its spans. */
  service?: string;
  /**
   * Drain loops of this kind per process (default: the runtime's `workers`). Kinds whose
   * handlers wait on other services want more loops and smaller batches.
   */
  loops?: number;
  /** Actors locked per batch for this kind (default: the runtime's `batchActors`). */
  batchActors?: number;
  /** Validates a body; a throw dead-letters the message at once (it can never succeed). */
  parse?(body: unknown): M;
  /**
   * Handles one message. The returned value is the reply to an `ask`. Throwing a
   * PolicyViolation or NotFound answers the caller (no retry, no effects); throwing anything
   * else rolls the turn back and retries with backoff, then dead-letters.
   */
  handle(turn: Turn, message: M): Promise<unknown> | unknown;
  /** The actor's current state, for inspection. */
  state?(sql: Sql, key: string): Promise<unknown>;
}

/** A batch's events routed to their consumers (see {@link EventSink.route}). */
export interface RoutedEvents {
  /** One mailbox message per delivery, in order: the batch may run some of them at once. */
  readonly messages: readonly NewMessage[];
}

/**
 * Writes and delivers the events of a drain batch inside its transaction (the brokerless
 * bridge, `actors/bridge/inline.ts`). Without one, events go to the outbox for the relay.
 * Nothing here waits on its own: what it reads and writes goes out with the batch's other
 * statements.
 */
export interface EventSink<Prepared = unknown, Routed extends RoutedEvents = RoutedEvents> {
  /**
   * What delivery needs from the database (e.g. the bindings): a scalar SQL expression the
   * batch's lock statement selects as a column, so the read costs no statement of its own.
   */
  prepare(tx: Sql): Fragment;
  /** Routes `events` to their consumers' messages with what `prepare` read; writes nothing. */
  route(events: StagedEvent[], prepared: Prepared): Routed;
  /**
   * Sends, without waiting, the statements that write and deliver routed events: the events,
   * the inbox claims of every delivery, and the messages except those the batch ran at once
   * (`ranHere`, by index), which it returns as `sent`. `origin` (this process) wakes its own
   * loops for the messages it enqueues.
   */
  write(
    tx: Sql,
    routed: Routed,
    ranHere: ReadonlySet<number>,
    origin: string,
  ): { done: PromiseLike<unknown>; sent: { kind: string }[] };
}

/** Tuning of the drain loops. */
export interface RuntimeOptions {
  /** Concurrent drain loops in this process (each holds one connection while draining). */
  workers: number;
  /** Handler failures before a message is dead-lettered. */
  maxAttempts: number;
  /** First retry delay; doubles per attempt, capped at 60 s. */
  backoffMs: number;
  /** Idle poll interval (timers, backoff, missed notifications). */
  pollMs: number;
  /** Actors locked per batch. */
  batchActors: number;
  /** Messages handled per actor per batch. */
  batchPerActor: number;
  /** Default `ask` timeout. */
  askTimeoutMs: number;
  /** A span per handler SQL statement, or one summary on the turn's span (`BSS_OTEL_SQL_SPANS`). */
  sqlSpans: "statement" | "summary";
}
