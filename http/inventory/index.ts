/**
 * The inventory sub-API served by CRM (`/inventory-api/v1`, docs/http.md §6.5): what the role
 * table (`http/roles.ts`) mounts. Inventory has no actors and consumes no events.
 *
 * @module
 */
import type { Binding } from "../../actors/bridge/types.ts";
import type { ActorKind } from "../../actors/runtime/types.ts";
import type { Deps } from "../env.ts";
import type { Endpoint } from "../route.ts";
import { esimEndpoints } from "./esim.ts";
import { lineEndpoints } from "./line.ts";
import { msisdnEndpoints } from "./msisdn.ts";
import { resourceEndpoints } from "./resources.ts";

/** Every inventory endpoint. */
export function endpoints(deps: Pick<Deps, "config" | "sql">): Endpoint[] {
  return [
    ...msisdnEndpoints(deps),
    ...esimEndpoints(deps),
    ...lineEndpoints(deps),
    ...resourceEndpoints(deps),
  ];
}

/** Inventory hosts no actor kinds. */
export const kinds: ActorKind[] = [];

/** Inventory consumes no events. */
export const bindings: Binding[] = [];
