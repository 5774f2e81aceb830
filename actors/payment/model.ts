/**
 * The payment domain's records: cards on file (tokens and a card summary, never a card
 * number) and charge attempts.
 *
 * @module
 */

/** What a charge pays for. */
export const PURPOSES = ["activation", "renewal", "vas"] as const;
/** What a charge pays for. */
export type Purpose = typeof PURPOSES[number];

/** Who issued a card token and runs its charges. */
export const TOKEN_PROVIDERS = ["mock", "stripe"] as const;
/** Who issued a card token and runs its charges. */
export type TokenProvider = typeof TOKEN_PROVIDERS[number];

/** A card on file: `active`, `removed` by its owner, or `expired` by a provider cutover. */
export type MethodStatus = "active" | "removed" | "expired";

/**
 * A recorded attempt's outcome. The column also allows `pending`, but only as its default:
 * an attempt is inserted once, with its final status.
 */
export type AttemptStatus = "approved" | "declined" | "errored" | "refunded";

/** What may be shown of a card: brand, last four digits, expiry. */
export interface CardSummary {
  brand: string | null;
  last4: string;
  expMonth: number;
  expYear: number;
}

/** A card on file. */
export interface PaymentMethod {
  id: string;
  customerId: string;
  type: "card";
  token: string;
  tokenProvider: TokenProvider;
  card: CardSummary;
  isDefault: boolean;
  status: MethodStatus;
  createdAt: Date;
}

/** One charge attempt, recorded with the gateway's final answer. */
export interface PaymentAttempt {
  id: string;
  customerId: string;
  paymentMethodId: string;
  /** Canonical decimal string, e.g. `"25.00"`. */
  amount: string;
  currency: string;
  purpose: Purpose;
  status: AttemptStatus;
  gatewayRef: string | null;
  declineReason: string | null;
  declineCode: string | null;
  providerCallId: string | null;
  idempotencyKey: string | null;
  attemptedAt: Date;
  /** Set when a compensation refunded an approved charge (status `refunded`). */
  refundedAt?: Date | null;
  refundReason?: string | null;
}

/**
 * A card to put on file: the provider's token and what may be shown of the card, which a
 * provider that registers its tokens (Stripe) tells itself.
 */
export interface NewMethod {
  customerId: string;
  tokenProvider: TokenProvider;
  token: string;
  card?: CardSummary;
}

/** A charge request. */
export interface ChargeInput {
  customerId: string;
  paymentMethodId: string;
  /** A decimal string (see `money.ts`); negative amounts are refused, zero approves. */
  amount: string;
  currency: string;
  purpose: Purpose;
  /** Stable per business operation; a repeat returns the first attempt. */
  idempotencyKey?: string;
}
