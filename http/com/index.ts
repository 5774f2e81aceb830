/**
 * The COM service (8004): TMF622 product orders, the `order` actor kind, its event bindings
 * and the stuck-order sweeper. COM calls CRM, catalog, payment and SOM over HTTP, and asks
 * the subscription service to activate by message (see `ports.ts`):
 *
 * ```ts
 * com: {
 *   kinds: com.kinds(config),
 *   bindings: com.bindings,
 *   endpoints: (deps) => com.endpoints(deps),
 * }
 * // and in the process running the com role, beside its actor system:
 * const stopSweeper = com.startSweeper(sql, {
 *   intervalSeconds: config.BSS_RECONCILIATION_INTERVAL_SECONDS, // 60
 *   thresholdSeconds: config.BSS_ORDER_STUCK_THRESHOLD_SECONDS, // 900
 * });
 * ```
 *
 * @module
 */
import type { Binding } from "../../actors/bridge/types.ts";
import { comBindings } from "../../actors/com/bindings.ts";
import { orderKind } from "../../actors/com/order_kind.ts";
import type { ComPorts } from "../../actors/com/ports.ts";
import type { ActorKind } from "../../actors/runtime/types.ts";
import type { Config } from "../../kernel/config.ts";
import type { Deps } from "../env.ts";
import type { Endpoint } from "../route.ts";
import { comPorts } from "./ports.ts";
import { productOrderEndpoints } from "./product_orders.ts";

export {
  startStuckOrderSweeper as startSweeper,
  sweepStuckOrders,
} from "../../actors/com/stuck_sweeper.ts";

/** What COM may be built with. */
export interface ComOptions {
  /** Replaces some ports (tests). */
  ports?: Partial<ComPorts>;
}

function ports(config: Config, options: ComOptions): ComPorts {
  return { ...comPorts(config), ...options.ports };
}

/** Every COM endpoint. */
export function endpoints(deps: Deps, options: ComOptions = {}): Endpoint[] {
  return productOrderEndpoints({
    sql: deps.sql,
    system: deps.system,
    ports: ports(deps.config, options),
    requireKyc: deps.config.BSS_REQUIRE_KYC,
  });
}

/** COM's actor kinds (`order`). */
export function kinds(config: Config, options: ComOptions = {}): ActorKind[] {
  return [orderKind(ports(config, options))];
}

/** COM's event bindings: `com.service_order.completed`, `com.service_order.failed`. */
export const bindings: Binding[] = comBindings;
