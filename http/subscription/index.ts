/**
 * The subscription service (8006, `/subscription-api/v1`) for the role table: its endpoints,
 * the subscription actor kind and the `usage.rated` binding. It calls CRM (customers and the
 * inventory), catalog and payment through their typed routes, found from the configuration.
 *
 * ```ts
 * subscription: { service: SERVICES.subscription, kinds: subscription.kinds,
 *   bindings: subscription.bindings, endpoints: (deps) => subscription.endpoints(deps) },
 * ```
 *
 * @module
 */
import type { Binding } from "../../actors/bridge/types.ts";
import type { ActorKind } from "../../actors/runtime/types.ts";
import { subscriptionKind } from "../../actors/subscription/subscription_kind.ts";
import { type Upstream, upstreamFrom } from "../../actors/subscription/upstream.ts";
import type { Config } from "../../kernel/config.ts";
import type { Deps } from "../env.ts";
import type { Endpoint } from "../route.ts";
import { portedOutBinding, usageRatedBinding } from "./bindings.ts";
import { subscriptionEndpoints } from "./endpoints.ts";

// For CRM (customer close guard) and payment (card removal guard).
export { activeSubscriptionCount, liveSubscriptionCount } from "../../actors/subscription/rows.ts";
export { tickRenewalsNow } from "../../actors/subscription/sweep.ts";

/** What the service can be given instead of its configured neighbours. */
export interface SubscriptionOptions {
  /** Clients of CRM, catalog and payment (default: from `deps.config`). */
  upstream?: Upstream;
}

/** A subscription service: its kinds and endpoints sharing one set of neighbours. */
export function subscriptionDomain(upstream: () => Upstream): {
  kinds: ActorKind[];
  endpoints(deps: Deps): Endpoint[];
} {
  return {
    kinds: [subscriptionKind(upstream)],
    endpoints: (deps) => subscriptionEndpoints(deps, upstream),
  };
}

/** The subscription endpoints, calling neighbours as configured in `deps.config`. */
export function endpoints(deps: Deps, options: SubscriptionOptions = {}): Endpoint[] {
  const upstream = options.upstream ?? upstreamFrom(deps.config);
  return subscriptionDomain(() => upstream).endpoints(deps);
}

/** The subscription actor kind, calling neighbours as configured in `config`. */
export function kinds(config: Config, options: SubscriptionOptions = {}): ActorKind[] {
  const upstream = options.upstream ?? upstreamFrom(config);
  return subscriptionDomain(() => upstream).kinds;
}
export const bindings: Binding[] = [usageRatedBinding, portedOutBinding];
