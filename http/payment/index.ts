/**
 * The payment service (8003): cards on file and charges (TMF676), over the mock gateway by
 * default. Wire it with the CRM and subscription lookups it needs:
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
import { paymentMethodEndpoints } from "./payment_methods.ts";
import { paymentEndpoints } from "./payments.ts";

/** Every payment endpoint; `options` default to the mock gateway and permissive lookups. */
export function endpoints(
  deps: Pick<Deps, "sql">,
  options: Partial<PaymentOptions> = {},
): Endpoint[] {
  const resolved = paymentOptions(options);
  return [...paymentMethodEndpoints(deps, resolved), ...paymentEndpoints(deps, resolved)];
}

/** Payment hosts no actors: methods and charges are plain service functions. */
export const kinds: ActorKind[] = [];

/** Payment consumes no events. */
export const bindings: Binding[] = [];
