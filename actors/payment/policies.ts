/**
 * Payment write policies (docs/domain.md §4.4), one function per rule family. Each takes the facts
 * its rules need and throws a {@link PolicyViolation} with the exact rule code, or returns.
 *
 * @module
 */
import { PolicyViolation } from "../../kernel/errors.ts";
import { isNegative } from "./money.ts";
import type { ChargeInput, PaymentAttempt, PaymentMethod, TokenProvider } from "./model.ts";

/** The most active cards a customer may keep. */
export const MAX_ACTIVE_METHODS = 5;

/** A card's expiry is this month or later (UTC, BSS clock). */
export function assertCardNotExpired(expMonth: number, expYear: number, now: Date): void {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() + 1;
  if (expYear < year || (expYear === year && expMonth < month)) {
    throw new PolicyViolation(
      "payment_method.add.card_not_expired",
      `the card expired in ${String(expMonth).padStart(2, "0")}/${expYear}`,
      { exp_month: expMonth, exp_year: expYear },
    );
  }
}

/** What adding a card is checked against. */
export interface AddFacts {
  customerId: string;
  /** The customer's CRM status, null when CRM does not know the id. */
  customerStatus: string | null;
  tokenProvider: TokenProvider;
  /** The provider of the configured gateway. */
  activeProvider: TokenProvider;
  /** The card's expiry; absent when the provider tells it at registration (Stripe). */
  expMonth?: number;
  expYear?: number;
  now: Date;
}

/** Who may add a card, with which provider's token, and whether it is still valid. */
export function checkAddMethod(f: AddFacts): void {
  const customer_id = f.customerId;
  if (f.customerStatus === null) {
    throw new PolicyViolation(
      "payment_method.add.customer_exists",
      `customer ${customer_id} does not exist`,
      { customer_id },
    );
  }
  if (f.customerStatus !== "active" && f.customerStatus !== "pending") {
    throw new PolicyViolation(
      "payment_method.add.customer_active_or_pending",
      `customer ${customer_id} is ${f.customerStatus}; cards are added to active or pending customers`,
      { customer_id, status: f.customerStatus },
    );
  }
  if (f.tokenProvider !== f.activeProvider) {
    throw new PolicyViolation(
      "payment.method.add.no_tokenizer",
      `no ${f.tokenProvider} tokenizer is configured (the gateway is ${f.activeProvider})`,
      { customer_id, tokenization_provider: f.tokenProvider, active_adapter: f.activeProvider },
    );
  }
  if (f.expMonth !== undefined && f.expYear !== undefined) {
    assertCardNotExpired(f.expMonth, f.expYear, f.now);
  }
}

/** The cap on active cards; `activeCount` is counted under the customer's lock. */
export function checkMethodCap(customerId: string, activeCount: number): void {
  if (activeCount >= MAX_ACTIVE_METHODS) {
    throw new PolicyViolation(
      "payment_method.add.at_most_n_methods",
      `customer ${customerId} already has ${activeCount} active cards (max ${MAX_ACTIVE_METHODS})`,
      { customer_id: customerId, current_count: activeCount, max: MAX_ACTIVE_METHODS },
    );
  }
}

/**
 * A token is registered once, whoever holds it: `inserted` is the row the insert made, or
 * null when the token was on file. The context names only the caller's customer.
 */
export function checkTokenUnused(
  customerId: string,
  inserted: PaymentMethod | null,
): asserts inserted is PaymentMethod {
  if (!inserted) {
    throw new PolicyViolation(
      "payment_method.add.duplicate_token",
      "this card token is already registered",
      { customer_id: customerId },
    );
  }
}

/** What removing a card is checked against. */
export interface RemoveFacts {
  method: PaymentMethod;
  /** The customer's active cards, this one included. */
  activeCount: number;
  /** Asked only when this is the last active card. */
  activeSubscriptions: () => Promise<number>;
}

/** Only an active card is removed, and never the last one while a line is active. */
export async function checkRemoveMethod(f: RemoveFacts): Promise<void> {
  const { method } = f;
  if (method.status !== "active") {
    throw new PolicyViolation(
      "payment_method.remove.already_removed",
      `payment method ${method.id} is already ${method.status}`,
      { payment_method_id: method.id, status: method.status },
    );
  }
  if (f.activeCount > 1) return;
  const activeSubscriptions = await f.activeSubscriptions();
  if (activeSubscriptions > 0) {
    throw new PolicyViolation(
      "payment_method.remove.not_last_if_active_subscription",
      `payment method ${method.id} is the last card of customer ${method.customerId}, ` +
        `who has ${activeSubscriptions} active subscription(s)`,
      {
        payment_method_id: method.id,
        customer_id: method.customerId,
        active_subscriptions: activeSubscriptions,
      },
    );
  }
}

/** Only an active card becomes the default. */
export function checkSetDefault(method: PaymentMethod): void {
  if (method.status !== "active") {
    throw new PolicyViolation(
      "payment_method.set_default.removed",
      `payment method ${method.id} is ${method.status}`,
      { payment_method_id: method.id, status: method.status },
    );
  }
}

/** A charge: an existing active card of this customer, a non-negative amount, our provider. */
export function checkCharge(
  input: ChargeInput,
  method: PaymentMethod | null,
  activeProvider: TokenProvider,
): asserts method is PaymentMethod {
  const payment_method_id = input.paymentMethodId;
  if (!method) {
    throw new PolicyViolation(
      "payment.charge.method_not_found",
      `payment method ${payment_method_id} does not exist`,
      { payment_method_id },
    );
  }
  if (method.customerId !== input.customerId) {
    throw new PolicyViolation(
      "payment.charge.customer_matches_method",
      `payment method ${payment_method_id} does not belong to customer ${input.customerId}`,
      {
        requested_customer_id: input.customerId,
        method_customer_id: method.customerId,
        payment_method_id,
      },
    );
  }
  if (method.status !== "active") {
    throw new PolicyViolation(
      "payment.charge.method_active",
      `payment method ${payment_method_id} is ${method.status}`,
      { payment_method_id, status: method.status },
    );
  }
  // Zero is allowed: a 100 % promotion approves without a gateway call (docs/decisions.md).
  if (isNegative(input.amount)) {
    throw new PolicyViolation(
      "payment.charge.positive_amount",
      `amount ${input.amount} is negative`,
      { amount: input.amount },
    );
  }
  if (method.tokenProvider !== activeProvider) {
    throw new PolicyViolation(
      "payment.charge.token_provider_matches_active",
      `payment method ${payment_method_id} holds a ${method.tokenProvider} token; ` +
        `the gateway is ${activeProvider}`,
      {
        payment_method_id,
        row_token_provider: method.tokenProvider,
        active_adapter: activeProvider,
        expected_token_provider: activeProvider,
      },
    );
  }
}

/**
 * A repeated idempotency key must name the same charge; a key reused for a different one is
 * refused rather than answered with someone else's result.
 */
export function checkReplay(input: ChargeInput, prior: PaymentAttempt): void {
  const differs = [
    prior.customerId !== input.customerId && "customerId",
    prior.paymentMethodId !== input.paymentMethodId && "paymentMethodId",
    prior.amount !== input.amount && "amount",
    prior.currency !== input.currency && "currency",
    prior.purpose !== input.purpose && "purpose",
  ].filter((f): f is string => f !== false);
  if (differs.length) {
    throw new PolicyViolation(
      "payment.charge.idempotency_key_reused",
      `idempotency key ${input.idempotencyKey} was used for a different charge`,
      { idempotency_key: input.idempotencyKey, differing_fields: differs },
    );
  }
}
