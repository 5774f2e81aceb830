/**
 * The inventory sub-API served by CRM (`/inventory-api/v1`, docs/http.md §6.5): what the role
 * table (`http/roles.ts`) mounts. Inventory has no actors and consumes no events.
 *
 * @module
 */
import type { Binding } from "../../actors/bridge/types.ts";
import { startReservationSweeper } from "../../actors/inventory/reservation_sweeper.ts";
import type { ActorKind } from "../../actors/runtime/types.ts";
import { NotFound } from "../../kernel/errors.ts";
import { getProductOrder } from "../com/product_orders.ts";
import type { Deps } from "../env.ts";
import { serviceClient } from "../service_client.ts";
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

/**
 * The abandoned-reservation sweeper of a process running with `config`: a holder (an order)
 * wants its line while COM has it acknowledged or in progress.
 */
export function sweepReservations({ config, sql }: Pick<Deps, "config" | "sql">): () => void {
  const com = serviceClient(config, "com", "crm");
  return startReservationSweeper(sql, {
    intervalSeconds: config.BSS_RECONCILIATION_INTERVAL_SECONDS,
    ttlSeconds: config.BSS_RESERVATION_TTL_SECONDS,
    async holderWantsLine(holder) {
      try {
        const order = await com.call(getProductOrder, { params: { id: holder } });
        return order.state === "acknowledged" || order.state === "in_progress";
      } catch (e) {
        if (e instanceof NotFound) return false;
        throw e;
      }
    },
  });
}

/** Inventory hosts no actor kinds. */
export const kinds: ActorKind[] = [];

/** Inventory consumes no events. */
export const bindings: Binding[] = [];
