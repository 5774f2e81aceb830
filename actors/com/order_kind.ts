/**
 * The order actor (kind `order`, service `com`, key = order id): every write on a product
 * order is a message handled in turn, in one transaction with its history and events.
 *
 * @module
 */
import { IO_BOUND } from "../runtime/drain_profiles.ts";
import type { ActorKind } from "../runtime/types.ts";
import { noAnswer } from "../som/no_answer.ts";
import { completeOrder, failOrder } from "./completion.ts";
import { OrderMessage } from "./messages.ts";
import { cancelOrder, createOrder, submitOrder } from "./order_lifecycle.ts";
import type { ComPorts } from "./ports.ts";
import { findOrder } from "./queries.ts";

/** The actor kind name. */
export const ORDER_KIND = "order";

/** The order kind, activating through `ports`. */
export function orderKind(
  ports: Pick<ComPorts, "createSubscription" | "releaseLine">,
): ActorKind<OrderMessage> {
  return {
    kind: ORDER_KIND,
    service: "com",
    // Handlers call other services over HTTP: several loops, small batches.
    ...IO_BOUND,
    parse: (body) => OrderMessage.parse(body),
    handle(turn, m) {
      switch (m.type) {
        case "create":
          return createOrder(turn, m);
        case "submit":
          return submitOrder(turn, m);
        case "cancel":
          return cancelOrder(turn, m);
        // From SOM's events: nobody awaits an answer.
        case "service_order_completed":
          return noAnswer(`order ${turn.key} ${m.type}`, completeOrder(turn, m, ports));
        case "service_order_failed":
          return noAnswer(`order ${turn.key} ${m.type}`, failOrder(turn, m));
      }
    },
    state: (sql, key) => findOrder(sql, key),
  };
}
