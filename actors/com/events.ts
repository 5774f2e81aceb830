/**
 * The order's domain events (docs/flows.md §5): aggregate `ProductOrder`, camelCase payloads.
 *
 * @module
 */
import type { DomainEvent } from "../../kernel/events.ts";
import { type OrderRow, snapshotOf } from "./model.ts";

/** An order event with `commercialOrderId` and `customerId` plus `extra`. */
export function orderEvent(
  type: string,
  order: Pick<OrderRow, "id" | "customer_id">,
  extra: Record<string, unknown> = {},
): DomainEvent {
  return {
    type,
    aggregateType: "ProductOrder",
    aggregateId: order.id,
    payload: { commercialOrderId: order.id, customerId: order.customer_id, ...extra },
  };
}

/** `order.in_progress`: what SOM decomposes (docs/flows.md §5.1). */
export function inProgressEvent(order: OrderRow, paymentMethodId: string): DomainEvent {
  const item = order.items[0];
  return orderEvent("order.in_progress", order, {
    offeringId: item.offering_id,
    msisdnPreference: order.msisdn_preference,
    paymentMethodId,
    priceSnapshot: snapshotOf(item),
  });
}
