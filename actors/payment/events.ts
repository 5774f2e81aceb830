/**
 * The payment domain events (docs/flows.md §5.2), payload keys snake_case as listed there.
 *
 * @module
 */
import type { DomainEvent } from "../../kernel/events.ts";
import type { PaymentAttempt, PaymentMethod } from "./model.ts";

/** `payment_method.added`. */
export function methodAdded(m: PaymentMethod): DomainEvent {
  return {
    type: "payment_method.added",
    aggregateType: "payment_method",
    aggregateId: m.id,
    payload: {
      customer_id: m.customerId,
      brand: m.card.brand,
      last4: m.card.last4,
      tokenization_provider: m.tokenProvider,
      token_provider: m.tokenProvider,
    },
  };
}

/**
 * `payment_method.removed`, `payment_method.default_changed`, or
 * `payment_method.cutover_invalidated` (a mock card expired by the move to Stripe).
 */
export function methodChanged(
  type:
    | "payment_method.removed"
    | "payment_method.default_changed"
    | "payment_method.cutover_invalidated",
  m: Pick<PaymentMethod, "id" | "customerId"> & { card: Pick<PaymentMethod["card"], "last4"> },
): DomainEvent {
  return {
    type,
    aggregateType: "payment_method",
    aggregateId: m.id,
    payload: { customer_id: m.customerId, last4: m.card.last4 },
  };
}

const ATTEMPT_EVENT = {
  approved: "payment.charged",
  declined: "payment.declined",
  errored: "payment.errored",
  refunded: "payment.refunded",
} as const;

/** `payment.charged`, `payment.declined` or `payment.errored`, by the attempt's status. */
export function attemptRecorded(a: PaymentAttempt): DomainEvent {
  return {
    type: ATTEMPT_EVENT[a.status],
    aggregateType: "payment_attempt",
    aggregateId: a.id,
    payload: {
      customer_id: a.customerId,
      payment_method_id: a.paymentMethodId,
      amount: a.amount,
      currency: a.currency,
      purpose: a.purpose,
      status: a.status,
      gateway_ref: a.gatewayRef,
      provider_call_id: a.providerCallId,
      decline_code: a.declineCode,
      ...(a.status === "refunded" && { refund_reason: a.refundReason }),
    },
  };
}
