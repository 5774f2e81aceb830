/**
 * The catalog service (port 8001) for the role table: its endpoints; no actor kinds and no
 * event bindings (catalog owns no long-lived entity and consumes no event).
 *
 * @module
 */
import type { Binding } from "../../actors/bridge/types.ts";
import type { ActorKind } from "../../actors/runtime/types.ts";
import type { Deps } from "../env.ts";
import type { Endpoint } from "../route.ts";
import { adminEndpoints } from "./admin.ts";
import { productCatalogEndpoints } from "./product_catalog.ts";
import { promoEndpoints } from "./promo.ts";
import { promotionEndpoints } from "./promotions.ts";
import { vasEndpoints } from "./vas.ts";

/** Every catalog endpoint. */
export function endpoints(deps: Pick<Deps, "sql">): Endpoint[] {
  return [
    ...productCatalogEndpoints(deps),
    ...vasEndpoints(deps),
    ...adminEndpoints(deps),
    ...promotionEndpoints(deps),
    ...promoEndpoints(),
  ];
}

/** Catalog hosts no actor kinds. */
export const kinds: ActorKind[] = [];

/** Catalog consumes no events. */
export const bindings: Binding[] = [];
