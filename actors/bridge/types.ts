/**
 * The contract between the event bridge and the domains that consume events: a binding
 * names a queue, the event types it wants (an AMQP topic pattern) and how an event becomes a
 * mailbox message.
 *
 * @module
 */
import type { Envelope } from "../runtime/types.ts";

/** A domain event as the bridge carries it (outbox row or AMQP message). */
export interface BusEvent {
  eventId: string;
  /** The routing key, e.g. `order.in_progress`. */
  type: string;
  payload: Record<string, unknown>;
  /** W3C trace context of the producer, when there was one. */
  traceparent?: string;
}

/** Where an event goes: the actor and the message it receives. */
export interface Target {
  kind: string;
  key: string;
  message: Envelope;
}

/** One consumer of events: a durable queue (or, brokerless, an inbox consumer name). */
export interface Binding {
  /** Queue name, also the inbox consumer name; unique among bindings. */
  queue: string;
  /** AMQP topic pattern over event types: `*` is one word, `#` zero or more. */
  pattern: string;
  /** Turns an event into a mailbox message. A throw marks the event poison: it parks. */
  to(event: BusEvent): Target;
}

/** A staged event read from `bus.outbox`. */
export interface OutboxEvent extends BusEvent {
  /** `bus.outbox.id`: the relay's order. */
  outboxId: number;
}

/** What one relay pass did. */
export interface RelayPass {
  /** Events delivered (published and confirmed, or put into mailboxes) and removed. */
  delivered: number;
  /** Events that failed and stay in the outbox for a later pass. */
  failed: number;
  /** The batch was full: there is probably more to relay right away. */
  full: boolean;
}
