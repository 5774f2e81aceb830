/**
 * The payment gateway seam (docs/providers.md §3.4.1): the one place a charge leaves the BSS. The
 * default is {@link MockGateway} (`mock_gateway.ts`); a Stripe adapter implements the same
 * interface.
 *
 * @module
 */
import type { CardSummary, Purpose, TokenProvider } from "./model.ts";

/** One charge as the gateway sees it: a token, never a card number. */
export interface ChargeRequest {
  token: string;
  /** Canonical decimal string, always above zero (zero never reaches a gateway). */
  amount: string;
  currency: string;
  purpose: Purpose;
  customerId: string;
  /** Passed to the provider so a retried call never charges twice. */
  idempotencyKey: string;
}

/** The gateway's synchronous answer, which is authoritative. */
export interface ChargeResult {
  status: "approved" | "declined" | "errored";
  gatewayRef: string | null;
  /** Why it was not approved, e.g. `card_declined_by_issuer`. */
  reason: string | null;
  providerCallId: string | null;
  /** The provider's decline code, e.g. `card_declined`, `insufficient_funds`. */
  declineCode: string | null;
}

/** Gives back an approved charge in full. */
export interface RefundRequest {
  /** The charge's reference at the provider. */
  gatewayRef: string;
  amount: string;
  currency: string;
  /** Passed to the provider so a retried refund never refunds twice. */
  idempotencyKey: string;
}

/** A payment provider adapter. */
export interface PaymentGateway {
  /** The provider whose tokens this gateway can charge. */
  readonly provider: TokenProvider;
  /** Charges a token. Answers declines and errors as results; a throw counts as `errored`. */
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /**
   * Refunds a charge; answers the provider's refund reference. A gateway without it cannot
   * compensate: a refund through it fails (and is retried by whoever asked), never skipped.
   */
  refund?(request: RefundRequest): Promise<{ refundRef: string }>;
  /**
   * Readies a token for off-session charges before it is put on file (Stripe: attaches it to
   * the customer's Stripe customer) and answers the token to keep with the card as the
   * provider knows it. Without it, the token and the caller's card summary are kept as given.
   */
  register?(customerId: string, token: string): Promise<{ token: string; card: CardSummary }>;
  /**
   * Starts card entry at the provider's own page (Stripe Checkout in setup mode): the customer
   * is sent to `url` and comes back to `returnUrl` with the entry's id as `cs_id`, or to
   * `cancelUrl`. A gateway without it takes tokens made elsewhere (the mock tokenizer).
   */
  startCardEntry?(customerId: string, urls: CardEntryUrls): Promise<{ id: string; url: string }>;
  /** The token of the card entered in entry `id`, once it is the customer's and complete. */
  finishCardEntry?(customerId: string, id: string): Promise<string>;
}

/** Where the provider's card entry page sends the customer back, and for which currency. */
export interface CardEntryUrls {
  returnUrl: string;
  cancelUrl: string;
  /** The currency of the charges the card is saved for (Stripe shows the methods fit for it). */
  currency: string;
}
