/**
 * The Stripe gateway (docs/providers.md §3.4): charges are PaymentIntents confirmed off
 * session against the customer's Stripe customer, refunds are Refunds of the PaymentIntent,
 * and a card is put on file by attaching the `pm_…` the customer entered at Stripe to that
 * customer. Every POST carries an idempotency key derived from what it does, so a retry after
 * a crash resumes the provider's first answer instead of charging or refunding again.
 *
 * Stripe keeps a key for 24 hours, and the BSS's own keys (`activation:SUB-0001`) repeat after
 * an operational-data reset; so each key is scoped by a Stripe object of this deployment's
 * data — the Stripe customer (made afresh after a reset) or the PaymentIntent.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import { PolicyViolation, ProviderUnavailable } from "../../kernel/errors.ts";
import type {
  CardEntryUrls,
  ChargeRequest,
  ChargeResult,
  PaymentGateway,
  RefundRequest,
} from "./gateway.ts";
import type { CardSummary } from "./model.ts";
import { toMinorUnits } from "./money.ts";
import { providerCustomer, saveProviderCustomer } from "./provider_customer_queries.ts";
import { type StripeApi, StripeApiError, type StripeObject } from "./stripe_api.ts";

/** How a Stripe decline reads in the BSS, as the mock gateway words the same declines. */
const DECLINE_REASONS: Record<string, string> = {
  generic_decline: "card_declined_by_issuer",
  card_declined: "card_declined_by_issuer",
  do_not_honor: "card_declined_by_issuer",
  insufficient_funds: "insufficient_funds",
  expired_card: "card_expired",
  lost_card: "card_reported_lost",
  stolen_card: "card_reported_stolen",
};

/** The Stripe payment gateway over `api`; `sql` keeps each customer's Stripe customer. */
export class StripeGateway implements PaymentGateway {
  readonly provider = "stripe";

  constructor(private readonly sql: Sql, private readonly api: StripeApi) {}

  /** One PaymentIntent, confirmed at once: a card error is a decline, anything else throws. */
  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const customer = await this.#customer(request.customerId);
    try {
      const intent = await this.api.post("/v1/payment_intents", {
        amount: toMinorUnits(request.amount, request.currency),
        currency: request.currency.toLowerCase(),
        customer,
        payment_method: request.token,
        confirm: true,
        off_session: true,
        metadata: { bss_purpose: request.purpose, bss_customer_id: request.customerId },
      }, `${customer}:${request.idempotencyKey}`);
      const id = String(intent.id);
      const succeeded = intent.status === "succeeded";
      return {
        status: succeeded ? "approved" : "errored",
        gatewayRef: id,
        reason: succeeded ? null : `payment_intent_${intent.status}`,
        providerCallId: id,
        declineCode: null,
      };
    } catch (e) {
      if (!(e instanceof StripeApiError) || e.type !== "card_error") throw e;
      const code = e.declineCode ?? e.code ?? "card_declined";
      const intent = e.detail.payment_intent as StripeObject | undefined;
      const id = typeof intent?.id === "string" ? intent.id : null;
      return {
        status: "declined",
        gatewayRef: id,
        reason: DECLINE_REASONS[code] ?? code,
        providerCallId: id,
        declineCode: code,
      };
    }
  }

  /**
   * Refunds a PaymentIntent in full. A charge already refunded at Stripe (from its dashboard)
   * is the refund wanted: answered with the charge's latest refund.
   */
  async refund(request: RefundRequest): Promise<{ refundRef: string }> {
    try {
      const refund = await this.api.post("/v1/refunds", {
        payment_intent: request.gatewayRef,
        amount: toMinorUnits(request.amount, request.currency),
        metadata: { bss_idempotency_key: request.idempotencyKey },
      }, `${request.gatewayRef}:${request.idempotencyKey}`);
      return { refundRef: String(refund.id) };
    } catch (e) {
      if (!(e instanceof StripeApiError) || e.code !== "charge_already_refunded") throw e;
      return { refundRef: `${request.gatewayRef}:refunded_at_stripe` };
    }
  }

  /** Attaches `pm_…` to the customer's Stripe customer; answers the attached card. */
  async register(customerId: string, token: string): Promise<{ token: string; card: CardSummary }> {
    const customer = await this.#customer(customerId);
    const method = await this.#call(() =>
      this.api.post(
        `/v1/payment_methods/${encodeURIComponent(token)}/attach`,
        { customer },
        `attach:${customer}:${token}`,
      )
    );
    const card = (method.card ?? {}) as StripeObject;
    return {
      token: String(method.id),
      card: {
        brand: typeof card.brand === "string" ? card.brand : null,
        last4: String(card.last4 ?? ""),
        expMonth: Number(card.exp_month),
        expYear: Number(card.exp_year),
      },
    };
  }

  /** A Checkout Session in setup mode for the customer's Stripe customer. */
  async startCardEntry(
    customerId: string,
    { returnUrl, cancelUrl }: CardEntryUrls,
  ): Promise<{ id: string; url: string }> {
    const customer = await this.#customer(customerId);
    const session = await this.#call(() =>
      this.api.post("/v1/checkout/sessions", {
        mode: "setup",
        customer,
        payment_method_types: ["card"],
        // Stripe fills in the session's id where the template stands.
        success_url: `${returnUrl}${
          returnUrl.includes("?") ? "&" : "?"
        }cs_id={CHECKOUT_SESSION_ID}`,
        cancel_url: cancelUrl,
        metadata: { bss_customer_id: customerId },
      }, `card_entry:${customer}:${crypto.randomUUID()}`)
    );
    return { id: String(session.id), url: String(session.url) };
  }

  /**
   * The PaymentMethod saved in Checkout Session `id`: refused unless the session was made for
   * this customer (its metadata) and is complete with a card.
   */
  async finishCardEntry(customerId: string, id: string): Promise<string> {
    const refuse = (condition: string, message: string): never => {
      throw new PolicyViolation(`payment.card_entry.${condition}`, message, {
        customer_id: customerId,
        session_id: id,
      });
    };
    if (!/^cs_\w+$/.test(id)) refuse("bad_return", "not a Stripe Checkout Session id (cs_…)");
    const session = await this.#call(() =>
      this.api.get(`/v1/checkout/sessions/${id}?expand%5B%5D=setup_intent`)
    );
    const metadata = (session.metadata ?? {}) as StripeObject;
    if (metadata.bss_customer_id !== customerId) {
      refuse("metadata_mismatch", "that card entry was made for another customer");
    }
    if (session.status !== "complete") {
      refuse("not_complete", `the card entry is ${session.status}, not complete`);
    }
    const intent = (session.setup_intent ?? {}) as StripeObject;
    const method = intent.payment_method;
    if (typeof method !== "string" || !method.startsWith("pm_")) {
      refuse("no_payment_method", "the card entry saved no card");
    }
    return method as string;
  }

  /**
   * The customer's Stripe customer, made on first use. Its key is fresh each time: two first
   * uses at once make two, of which the first saved is kept (the other stays empty at Stripe).
   */
  async #customer(customerId: string): Promise<string> {
    const known = await providerCustomer(this.sql, "stripe", customerId);
    if (known) return known;
    const made = await this.#call(() =>
      this.api.post(
        "/v1/customers",
        { metadata: { bss_customer_id: customerId } },
        `ensure_customer:${customerId}:${crypto.randomUUID()}`,
      )
    );
    return await saveProviderCustomer(this.sql, "stripe", customerId, String(made.id));
  }

  /**
   * A call outside a charge: Stripe refusing the request is the caller's answer (a policy
   * violation naming Stripe's reason); Stripe out of reach is {@link ProviderUnavailable}.
   */
  async #call(call: () => Promise<StripeObject>): Promise<StripeObject> {
    try {
      return await call();
    } catch (e) {
      if (e instanceof StripeApiError && e.status < 500 && e.status !== 429 && e.status !== 401) {
        throw new PolicyViolation(
          "payment.method.add.provider_refused",
          `Stripe refused the card: ${e.message}`,
          { provider: "stripe", provider_code: e.code ?? e.type },
        );
      }
      throw new ProviderUnavailable("stripe", e instanceof Error ? e.message : String(e));
    }
  }
}
