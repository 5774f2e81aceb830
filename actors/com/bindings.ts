/**
 * COM's event consumers (docs/flows.md §5.1, §6.2): SOM's outcome for an order, into that order's
 * mailbox.
 *
 * @module
 */
import type { Binding, BusEvent } from "../bridge/types.ts";
import { ORDER_KIND } from "./order_kind.ts";

function orderIdOf(event: BusEvent): string {
  const id = event.payload.commercialOrderId;
  if (typeof id !== "string" || id === "") throw new TypeError("no commercialOrderId");
  return id;
}

/** `com.service_order.completed` and `com.service_order.failed`. */
export const comBindings: Binding[] = [
  {
    queue: "com.service_order.completed",
    pattern: "service_order.completed",
    to: (event) => ({
      kind: ORDER_KIND,
      key: orderIdOf(event),
      message: { ...event.payload, type: "service_order_completed" },
    }),
  },
  {
    queue: "com.service_order.failed",
    pattern: "service_order.failed",
    to: (event) => ({
      kind: ORDER_KIND,
      key: orderIdOf(event),
      message: { ...event.payload, type: "service_order_failed" },
    }),
  },
];
