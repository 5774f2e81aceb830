/**
 * The last hop of every path: an event becomes a mailbox message exactly once per consumer.
 * The inbox claim `(event_id, consumer)` and the enqueue happen in the caller's transaction,
 * so a redelivered event (relay retry, broker redelivery) finds its claim and is skipped.
 *
 * @module
 */
import { SYSTEM } from "../../kernel/context.ts";
import type { Sql } from "../../kernel/db/types.ts";
import { log } from "../../kernel/log.ts";
import { enqueueMany, type NewMessage } from "../runtime/sql.ts";
import { messageContext } from "../runtime/worker.ts";
import { claimInbox } from "./sql.ts";
import type { Binding, BusEvent, Target } from "./types.ts";

/** One event bound for one consumer's mailbox. */
export interface Delivery extends Target {
  eventId: string;
  /** The binding's queue: the inbox consumer name. */
  queue: string;
  /** Trace context the mailbox message carries into the actor. */
  traceparent?: string;
}

/** Applies a binding to an event; throws (poison) when `to` throws or returns no message. */
export function toDelivery(binding: Binding, event: BusEvent, traceparent?: string): Delivery {
  const target = binding.to(event);
  if (
    typeof target?.kind !== "string" || typeof target.key !== "string" ||
    typeof target.message?.type !== "string"
  ) {
    throw new TypeError(`binding ${binding.queue} returned no {kind, key, message.type}`);
  }
  return { ...target, eventId: event.eventId, queue: binding.queue, traceparent };
}

/** The mailbox message of a delivery: a `system` message carrying the hop's trace context. */
export function mailboxMessage(d: Delivery): NewMessage {
  return {
    kind: d.kind,
    key: d.key,
    body: d.message,
    context: messageContext(SYSTEM, d.traceparent ?? null),
  };
}

/**
 * Claims the deliveries in the inbox and enqueues the new ones as `system` messages, in
 * order; duplicates are logged and skipped. Returns how many were enqueued.
 */
export async function deliverToMailboxes(tx: Sql, deliveries: Delivery[]): Promise<number> {
  if (deliveries.length === 0) return 0;
  // Postgres returns uuids in lower case; a message_id may have come in upper case.
  const pair = (eventId: string, consumer: string) => `${eventId.toLowerCase()}\u0000${consumer}`;
  const claimed = await claimInbox(
    tx,
    deliveries.map((d) => ({ eventId: d.eventId, consumer: d.queue })),
  );
  const fresh = new Set(claimed.map((c) => pair(c.eventId, c.consumer)));
  const messages = [];
  for (const d of deliveries) {
    if (!fresh.has(pair(d.eventId, d.queue))) {
      log.info("inbox.duplicate.skipped", { event_id: d.eventId, consumer: d.queue });
      continue;
    }
    messages.push(mailboxMessage(d));
  }
  if (messages.length) await enqueueMany(tx, messages);
  return messages.length;
}
