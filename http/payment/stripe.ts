/**
 * The Stripe side of the payment service (docs/providers.md §3.4): the gateway the
 * configuration chooses, and `POST /webhooks/stripe`, which Stripe calls without a BSS token
 * (the path is outside the token perimeter) and which trusts a delivery only when its
 * `Stripe-Signature` holds for the raw body.
 *
 * | answer                                    | when                                      |
 * | ----------------------------------------- | ----------------------------------------- |
 * | 200 `{received: true, outcome}`           | kept and acted on                         |
 * | 200 `{received: true, deduped: true}`     | the event id was received before          |
 * | 400 `malformed_body`                      | not JSON, or no event `id`/`type`/`data`  |
 * | 401 `webhook_secret_unset`                | no `BSS_PAYMENT_STRIPE_WEBHOOK_SECRET`    |
 * | 401 `missing_header`, `malformed_header`, `replay_window`, `signature_mismatch` | refused, nothing kept |
 *
 * @module
 */
import { z } from "zod";
import type { PaymentGateway } from "../../actors/payment/gateway.ts";
import { MockGateway } from "../../actors/payment/mock_gateway.ts";
import { stripeApi } from "../../actors/payment/stripe_api.ts";
import { StripeGateway } from "../../actors/payment/stripe_gateway.ts";
import { SignatureRefused, verifyStripeSignature } from "../../actors/payment/stripe_signature.ts";
import { receiveStripeEvent } from "../../actors/payment/stripe_webhook.ts";
import type { Config } from "../../kernel/config.ts";
import { SYSTEM, withCaller } from "../../kernel/context.ts";
import type { Pool } from "../../kernel/db/types.ts";
import { log } from "../../kernel/log.ts";
import { HttpError } from "../errors.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";

/** Where Stripe's API is unless `BSS_PAYMENT_STRIPE_API_BASE` says otherwise. */
export const STRIPE_API = "https://api.stripe.com";

/** The gateway `BSS_PAYMENT_PROVIDER` chooses: the mock one, or Stripe with its key. */
export function configuredGateway(config: Config, sql: Pool): PaymentGateway {
  if (config.BSS_PAYMENT_PROVIDER !== "stripe") return new MockGateway();
  return new StripeGateway(
    sql,
    stripeApi({
      apiKey: config.BSS_PAYMENT_STRIPE_API_KEY!,
      baseUrl: (config.BSS_PAYMENT_STRIPE_API_BASE ?? STRIPE_API).replace(/\/+$/, ""),
    }),
  );
}

/** The fields of a Stripe Event the webhook reads. */
const Event = z.object({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(255),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

/** `POST /webhooks/stripe`. */
export const stripeWebhook = defineRoute({
  method: "POST",
  path: "/webhooks/stripe",
  summary: "Stripe's event deliveries, signed with the endpoint's secret (no BSS token)",
  response: z.object({
    received: z.literal(true),
    deduped: z.boolean().optional(),
    outcome: z.enum(["reconciled", "drift", "noop"]).optional(),
  }),
});

const refused = (status: 400 | 401, code: string, message: string) =>
  new HttpError(status, { code, message });

/** The webhook endpoint; `secret` unset refuses every delivery. */
export function stripeWebhookEndpoints(sql: Pool, secret: string | undefined): Endpoint[] {
  return [
    endpoint(stripeWebhook, async (_input, c) => {
      if (!secret) {
        throw refused(401, "webhook_secret_unset", "BSS_PAYMENT_STRIPE_WEBHOOK_SECRET is not set");
      }
      const body = await c.req.text();
      try {
        // Stripe signs with its own time, so the window is read from the wall clock, not
        // from the BSS clock (which a scenario may have moved).
        await verifyStripeSignature(c.req.header("stripe-signature"), body, secret, new Date());
      } catch (e) {
        if (!(e instanceof SignatureRefused)) throw e;
        log.warn("payment.stripe.webhook_refused", {
          code: e.code,
          signature: c.req.header("stripe-signature")?.slice(0, 80) ?? null,
          body: body.slice(0, 500),
        });
        throw refused(401, e.code, e.message);
      }
      let parsed: z.infer<typeof Event>;
      try {
        parsed = Event.parse(JSON.parse(body));
      } catch {
        throw refused(400, "malformed_body", "not a Stripe event (id, type, data.object)");
      }
      // Stripe acts, on its webhook: what its events raise is attributed to it.
      const { deduped, outcome } = await withCaller(
        { ...SYSTEM, actor: "stripe", channel: "webhook", requestId: c.get("requestId") },
        () => receiveStripeEvent(sql, parsed),
      );
      return deduped ? { received: true, deduped } : { received: true, outcome };
    }),
  ];
}
