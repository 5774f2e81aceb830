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
import type Stripe from "stripe";
import { isStripeError, type StripeClient } from "./stripe_api.ts";

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

/** The Stripe payment gateway over `stripe`; `sql` keeps each customer's Stripe customer. */
export class StripeGateway implements PaymentGateway {
  readonly provider = "stripe";

  constructor(private readonly sql: Sql, private readonly client: StripeClient) {}

  /** One PaymentIntent, confirmed at once: a card error is a decline, anything else throws. */
  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const customer = await this.#customer(request.customerId);
    const stripe = await this.client();
    try {
      const intent = await stripe.paymentIntents.create({
        amount: toMinorUnits(request.amount, request.currency),
        currency: request.currency.toLowerCase(),
        customer,
        payment_method: request.token,
        confirm: true,
        off_session: true,
        metadata: { bss_purpose: request.purpose, bss_customer_id: request.customerId },
      }, { idempotencyKey: `${customer}:${request.idempotencyKey}` });
      const id = intent.id;
      const succeeded = intent.status === "succeeded";
      return {
        status: succeeded ? "approved" : "errored",
        gatewayRef: id,
        reason: succeeded ? null : `payment_intent_${intent.status}`,
        providerCallId: id,
        declineCode: null,
      };
    } catch (e) {
      if (!isStripeError(e) || e.rawType !== "card_error") throw e;
      const code = e.decline_code ?? e.code ?? "card_declined";
      const id = e.payment_intent?.id ?? null;
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
    const stripe = await this.client();
    try {
      const refund = await stripe.refunds.create({
        payment_intent: request.gatewayRef,
        amount: toMinorUnits(request.amount, request.currency),
        metadata: { bss_idempotency_key: request.idempotencyKey },
      }, { idempotencyKey: `${request.gatewayRef}:${request.idempotencyKey}` });
      return { refundRef: refund.id };
    } catch (e) {
      if (!isStripeError(e) || e.code !== "charge_already_refunded") throw e;
      return { refundRef: `${request.gatewayRef}:refunded_at_stripe` };
    }
  }

  /** Attaches `pm_…` to the customer's Stripe customer; answers the attached card. */
  async register(customerId: string, token: string): Promise<{ token: string; card: CardSummary }> {
    const customer = await this.#customer(customerId);
    const method = await this.#call((stripe) =>
      stripe.paymentMethods.attach(token, { customer }, {
        idempotencyKey: `attach:${customer}:${token}`,
      })
    );
    const card = method.card;
    if (!card) throw refused("not_a_card", "that PaymentMethod is not a card");
    return {
      token: method.id,
      card: {
        brand: card.brand,
        last4: card.last4,
        expMonth: card.exp_month,
        expYear: card.exp_year,
      },
    };
  }

  /** A Checkout Session in setup mode for the customer's Stripe customer. */
  async startCardEntry(
    customerId: string,
    { returnUrl, cancelUrl, currency }: CardEntryUrls,
  ): Promise<{ id: string; url: string }> {
    const customer = await this.#customer(customerId);
    const session = await this.#call((stripe) =>
      stripe.checkout.sessions.create({
        mode: "setup",
        customer,
        currency: currency.toLowerCase(),
        // Stripe fills in the session's id where the template stands.
        success_url: `${returnUrl}${
          returnUrl.includes("?") ? "&" : "?"
        }cs_id={CHECKOUT_SESSION_ID}`,
        cancel_url: cancelUrl,
        metadata: { bss_customer_id: customerId },
      }, { idempotencyKey: `card_entry:${customer}:${crypto.randomUUID()}` })
    );
    return { id: session.id, url: session.url! };
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
    const session = await this.#call((stripe) =>
      stripe.checkout.sessions.retrieve(id, { expand: ["setup_intent"] })
    );
    if (session.metadata?.bss_customer_id !== customerId) {
      refuse("metadata_mismatch", "that card entry was made for another customer");
    }
    if (session.status !== "complete") {
      refuse("not_complete", `the card entry is ${session.status}, not complete`);
    }
    const intent = session.setup_intent as Stripe.SetupIntent | null;
    const method = intent?.payment_method;
    if (typeof method !== "string" || !method.startsWith("pm_")) {
      return refuse("no_payment_method", "the card entry saved no card");
    }
    return method;
  }

  /**
   * The customer's Stripe customer, made on first use. Its key is fresh each time: two first
   * uses at once make two, of which the first saved is kept (the other stays empty at Stripe).
   */
  async #customer(customerId: string): Promise<string> {
    const known = await providerCustomer(this.sql, "stripe", customerId);
    if (known) return known;
    const made = await this.#call((stripe) =>
      stripe.customers.create(
        { metadata: { bss_customer_id: customerId } },
        { idempotencyKey: `ensure_customer:${customerId}:${crypto.randomUUID()}` },
      )
    );
    return await saveProviderCustomer(this.sql, "stripe", customerId, made.id);
  }

  /**
   * A call outside a charge: Stripe refusing the request is the caller's answer (a policy
   * violation naming Stripe's reason); Stripe out of reach is {@link ProviderUnavailable}.
   */
  async #call<T>(call: (stripe: Stripe) => Promise<T>): Promise<T> {
    try {
      return await call(await this.client());
    } catch (e) {
      const status = isStripeError(e) ? e.statusCode ?? 0 : 0;
      if (isStripeError(e) && status >= 400 && status < 500 && status !== 429 && status !== 401) {
        throw refused(e.code ?? e.rawType ?? "refused", e.message);
      }
      throw new ProviderUnavailable("stripe", e instanceof Error ? e.message : String(e));
    }
  }
}

/** Stripe refused a card request: the caller's answer, naming Stripe's reason. */
function refused(providerCode: string, message: string): PolicyViolation {
  return new PolicyViolation(
    "payment.method.add.provider_refused",
    `Stripe refused the card: ${message}`,
    { provider: "stripe", provider_code: providerCode },
  );
}
