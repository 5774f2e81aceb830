/**
 * The order actor (kind `order`, service `com`, key = order id): every write on a product
 * order is a message handled in turn, in one transaction with its history and events.
 *
 * @module
 */
import type { ActorKind } from "../runtime/types.ts";
import { noAnswer } from "../som/no_answer.ts";
import {
  completeOrder,
  failOrder,
  subscriptionActivated,
  subscriptionRefused,
} from "./completion.ts";
import { OrderMessage } from "./messages.ts";
import { cancelOrder, createOrder, submitOrder } from "./order_lifecycle.ts";
import type { ComPorts } from "./ports.ts";
import { findOrder } from "./queries.ts";

/** The actor kind name. */
export const ORDER_KIND = "order";

/** The order kind, activating through `ports`. */
export function orderKind(
  ports: Pick<ComPorts, "requestSubscription">,
): ActorKind<OrderMessage> {
  return {
    kind: ORDER_KIND,
    service: "com",
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
        case "subscription_activated":
          return noAnswer(`order ${turn.key} ${m.type}`, subscriptionActivated(turn, m));
        case "subscription_refused":
          return noAnswer(`order ${turn.key} ${m.type}`, subscriptionRefused(turn, m));
      }
    },
    state: (sql, key) => findOrder(sql, key),
  };
}
