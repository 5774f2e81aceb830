/**
 * The mediation service (port 8007, TMF635 usage) for the role table. It asks the
 * subscription service which line an MSISDN belongs to; by default over HTTP
 * ({@link subscriptionLookup}), or through `options.subscriptionByMsisdn` (tests).
 *
 * @module
 */
import type { Binding } from "../../actors/bridge/types.ts";
import type { SubscriptionByMsisdn } from "../../actors/mediation/model.ts";
import type { ActorKind } from "../../actors/runtime/types.ts";
import type { Deps } from "../env.ts";
import type { Endpoint } from "../route.ts";
import { subscriptionLookup } from "./subscription_lookup.ts";
import { usageEndpoints } from "./usage.ts";

export { subscriptionLookup } from "./subscription_lookup.ts";

/** What mediation depends on outside its own schema. */
export interface MediationOptions {
  /** The live subscription of an MSISDN, or null. */
  subscriptionByMsisdn: SubscriptionByMsisdn;
}

/** Every mediation endpoint. */
export function endpoints(
  deps: Pick<Deps, "config" | "sql">,
  options: Partial<MediationOptions> = {},
): Endpoint[] {
  return usageEndpoints(deps, options.subscriptionByMsisdn ?? subscriptionLookup(deps.config));
}

/** Mediation hosts no actors: a usage record is one stateless check-and-insert. */
export const kinds: ActorKind[] = [];

/** Mediation consumes no events. */
export const bindings: Binding[] = [];
