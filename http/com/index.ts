/**
 * The COM service (8004): TMF622 product orders, the `order` actor kind, its event bindings
 * and the stuck-order sweeper. COM calls CRM, catalog, payment, SOM and — to activate — the
 * subscription service, so its kind and endpoints are built from the configuration and a
 * `createSubscription` the subscription service provides:
 *
 * ```ts
 * const options = { createSubscription };
 * com: {
 *   kinds: com.kinds(config, options),
 *   bindings: com.bindings,
 *   endpoints: (deps) => com.endpoints(deps, options),
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
import type { ComPorts, CreateSubscription } from "../../actors/com/ports.ts";
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

/** What COM is built with. */
export interface ComOptions {
  /** `POST /subscription-api/v1/subscription` (charge + activate), from the subscription side. */
  createSubscription: CreateSubscription;
  /** Replaces some HTTP ports (tests). */
  ports?: Partial<ComPorts>;
}

function ports(config: Config, options: ComOptions): ComPorts {
  return { ...comPorts(config, options.createSubscription), ...options.ports };
}

/** Every COM endpoint. */
export function endpoints(deps: Deps, options: ComOptions): Endpoint[] {
  return productOrderEndpoints({
    sql: deps.sql,
    system: deps.system,
    ports: ports(deps.config, options),
    requireKyc: deps.config.BSS_REQUIRE_KYC,
  });
}

/** COM's actor kinds (`order`). */
export function kinds(config: Config, options: ComOptions): ActorKind[] {
  return [orderKind(ports(config, options))];
}

/** COM's event bindings: `com.service_order.completed`, `com.service_order.failed`. */
export const bindings: Binding[] = comBindings;
