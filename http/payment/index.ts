/**
 * The payment service (8003): cards on file and charges (TMF676), over the mock gateway by
 * default or Stripe (`BSS_PAYMENT_PROVIDER`), and Stripe's webhook. Wire it with the CRM and
 * subscription lookups it needs:
 *
 * ```ts
 * endpoints: (deps) => payment.endpoints(deps, {
 *   customerStatus: (id) => …CRM getCustomer… status, or null on NotFound,
 *   activeSubscriptionCount: (id) => …subscription list… active count,
 * }),
 * ```
 *
 * @module
 */
import type { Binding } from "../../actors/bridge/types.ts";
import { type PaymentOptions, paymentOptions } from "../../actors/payment/options.ts";
import type { ActorKind } from "../../actors/runtime/types.ts";
import type { Deps } from "../env.ts";
import type { Endpoint } from "../route.ts";
import { cardEntryEndpoints } from "./card_entry.ts";
import { cutoverEndpoints } from "./cutover.ts";
import { paymentMethodEndpoints } from "./payment_methods.ts";
import { paymentEndpoints } from "./payments.ts";
import { stripeWebhookEndpoints } from "./stripe.ts";

/**
 * Every payment endpoint; `options` default to the mock gateway and permissive lookups. The
 * webhook takes its secret from `deps.config` (without one it refuses every delivery).
 */
export function endpoints(
  deps: Pick<Deps, "sql"> & Partial<Pick<Deps, "config">>,
  options: Partial<PaymentOptions> = {},
): Endpoint[] {
  const resolved = paymentOptions(options);
  return [
    ...cardEntryEndpoints(deps, resolved),
    ...cutoverEndpoints(deps, resolved),
    ...paymentMethodEndpoints(deps, resolved),
    ...paymentEndpoints(deps, resolved),
    ...stripeWebhookEndpoints(deps.sql, deps.config?.BSS_PAYMENT_STRIPE_WEBHOOK_SECRET),
  ];
}

/** Payment hosts no actors: methods and charges are plain service functions. */
export const kinds: ActorKind[] = [];

/** Payment consumes no events. */
export const bindings: Binding[] = [];
