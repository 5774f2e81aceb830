/**
 * What a Stripe webhook delivery does (docs/providers.md §3.4): each event is kept once (a
 * redelivery of the same event id is answered as a duplicate and does nothing), redacted, with
 * what it came to. The charge answered synchronously stays the truth: an event that disagrees
 * with the recorded attempt is reported as drift, never written over it.
 *
 * | event                                                      | does                          |
 * | ---------------------------------------------------------- | ----------------------------- |
 * | `charge.succeeded`, `payment_intent.succeeded`             | checks the attempt approved   |
 * | `charge.failed`, `payment_intent.payment_failed`           | checks it declined or errored |
 * | `charge.refunded`                                          | `payment.refunded_at_provider` unless the BSS refunded it |
 * | `charge.dispute.created`                                   | `payment.dispute_opened`      |
 * | anything else                                              | kept, nothing done            |
 *
 * @module
 */
import type { Pool } from "../../kernel/db/types.ts";
import { type DomainEvent, emit } from "../../kernel/events.ts";
import { log } from "../../kernel/log.ts";
import type { AttemptStatus, PaymentAttempt } from "./model.ts";
import { attemptByProviderCall } from "./attempt_queries.ts";

/** A Stripe Event as delivered (the fields read here). */
export interface StripeEvent {
  id: string;
  type: string;
  data: { object: Record<string, unknown> };
}

/** What an event came to. */
export type Outcome = "reconciled" | "drift" | "noop";

/** The attempt statuses each reconciling event agrees with. */
const AGREES: Record<string, readonly AttemptStatus[]> = {
  "charge.succeeded": ["approved", "refunded"],
  "payment_intent.succeeded": ["approved", "refunded"],
  "charge.failed": ["declined", "errored"],
  "payment_intent.payment_failed": ["declined", "errored"],
};

/** Keys whose values are personal data, masked before an event is stored. */
const PERSONAL = new Set([
  "email",
  "name",
  "phone",
  "address",
  "billing_details",
  "number",
  "cvc",
  "cvv",
]);

/** The event with personal data masked (`last4` and `decline_code` kept). */
export function redactStripe(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactStripe);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      PERSONAL.has(k.toLowerCase()) && v !== null ? "[redacted]" : redactStripe(v),
    ]),
  );
}

/**
 * Keeps and acts on one verified event, in one transaction; `deduped` when its id was
 * received before (nothing is done again).
 */
export async function receiveStripeEvent(
  sql: Pool,
  event: StripeEvent,
): Promise<{ deduped: boolean; outcome?: Outcome }> {
  return await sql.begin(async (tx) => {
    // What the event comes to is read first, so it is kept once, with its outcome; a
    // redelivery finds the row and does nothing (no event raised twice).
    const object = event.data.object;
    const call = providerCallOf(event.type, object);
    const attempt = call ? await attemptByProviderCall(tx, call) : null;
    const { outcome, events } = attempt
      ? actOn(event, attempt, object)
      : { outcome: "noop" as const, events: [] };
    const [kept] = await tx`
      insert into payment.webhook_event (provider, event_id, type, outcome, payment_id, payload)
      values ('stripe', ${event.id}, ${event.type}, ${outcome}, ${attempt?.id ?? null},
        ${JSON.stringify(redactStripe(event))}::text::jsonb)
      on conflict (provider, event_id) do nothing
      returning event_id`;
    if (!kept) return { deduped: true };
    await emit(tx, ...events);
    log.info("payment.stripe.webhook", {
      event_id: event.id,
      type: event.type,
      outcome,
      payment_id: attempt?.id ?? null,
    });
    return { deduped: false, outcome };
  }) as { deduped: boolean; outcome?: Outcome };
}

/** The PaymentIntent an event is about: the object itself, or the charge's `payment_intent`. */
function providerCallOf(type: string, object: Record<string, unknown>): string | null {
  const ref = type.startsWith("payment_intent.") ? object.id : object.payment_intent;
  return typeof ref === "string" ? ref : null;
}

/** The outcome of an event about a recorded attempt, and the events it raises. */
export function actOn(
  event: StripeEvent,
  attempt: PaymentAttempt,
  object: Record<string, unknown>,
): { outcome: Outcome; events: DomainEvent[] } {
  const about = (type: string, payload: Record<string, unknown>): DomainEvent => ({
    type,
    aggregateType: "payment_attempt",
    aggregateId: attempt.id,
    payload: {
      customer_id: attempt.customerId,
      provider: "stripe",
      provider_event_id: event.id,
      provider_call_id: attempt.providerCallId,
      ...payload,
    },
  });
  const agrees = AGREES[event.type];
  if (agrees) {
    if (agrees.includes(attempt.status)) return { outcome: "reconciled", events: [] };
    return {
      outcome: "drift",
      events: [about("payment.attempt_state_drift", {
        recorded_status: attempt.status,
        provider_event_type: event.type,
      })],
    };
  }
  if (event.type === "charge.refunded") {
    if (attempt.status === "refunded") return { outcome: "reconciled", events: [] };
    return {
      outcome: "reconciled",
      events: [about("payment.refunded_at_provider", {
        recorded_status: attempt.status,
        amount_refunded_minor: object.amount_refunded ?? null,
        currency: attempt.currency,
      })],
    };
  }
  if (event.type === "charge.dispute.created") {
    return {
      outcome: "reconciled",
      events: [about("payment.dispute_opened", {
        dispute_id: object.id ?? null,
        amount_minor: object.amount ?? null,
        reason: object.reason ?? null,
      })],
    };
  }
  return { outcome: "noop", events: [] };
}
