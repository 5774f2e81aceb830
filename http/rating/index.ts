/**
 * The rating service (port 8008) for the role table: the `rating` actor kind fed by the
 * `rating.usage.recorded` binding, and the debug routes. Both read tariffs from the catalog
 * service over its typed client, so the kinds need the process configuration:
 *
 * ```ts
 * kinds: rating.kinds(config), bindings: rating.bindings, endpoints: rating.endpoints,
 * ```
 *
 * @module
 */
import { usageRecordedBinding } from "../../actors/rating/binding.ts";
import { ratingKind } from "../../actors/rating/rating_kind.ts";
import type { Binding } from "../../actors/bridge/types.ts";
import type { ActorKind } from "../../actors/runtime/types.ts";
import type { Config } from "../../kernel/config.ts";
import type { Deps } from "../env.ts";
import type { Endpoint } from "../route.ts";
import { catalogTariff, type OfferingLookup } from "./catalog_tariff.ts";
import { debugEndpoints } from "./debug.ts";

/** What rating depends on outside itself. */
export interface RatingOptions {
  /** The catalog offering of an id (NotFound when unknown). Default: the catalog service. */
  offeringOf: OfferingLookup;
}

const lookup = (config: Config, options: Partial<RatingOptions>) =>
  options.offeringOf ?? catalogTariff(config);

/** Every rating endpoint. */
export function endpoints(
  deps: Pick<Deps, "config">,
  options: Partial<RatingOptions> = {},
): Endpoint[] {
  return debugEndpoints(lookup(deps.config, options));
}

/** The rating actor kinds (`rating`), reading tariffs as `config` says. */
export function kinds(config: Config, options: Partial<RatingOptions> = {}): ActorKind[] {
  return [ratingKind(lookup(config, options))];
}

/** Rating consumes `usage.recorded` on queue `rating.usage.recorded`. */
export const bindings: Binding[] = [usageRecordedBinding];
