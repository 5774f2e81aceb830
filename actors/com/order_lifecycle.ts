/**
 * The order actor's customer-facing moves: create (`acknowledged`), submit (`in_progress`,
 * which SOM picks up) and cancel (until SOM starts). The facts they need from other services
 * arrive in the message; the rules on them ran before the ask.
 *
 * @module
 */
import { currentTraceparent } from "../../kernel/events.ts";
import { nextId } from "../../kernel/ids.ts";
import type { Turn } from "../runtime/types.ts";
import { inProgressEvent, orderEvent } from "./events.ts";
import { moveOrder, recordHistory } from "./history.ts";
import type { OrderMessageOf } from "./messages.ts";
import { assertNotStarted } from "./policies.ts";
import { findOrder, getOrder } from "./queries.ts";

/** Writes a new `acknowledged` order with its item and price snapshot (once per id). */
export async function createOrder(
  turn: Turn,
  m: OrderMessageOf<"create">,
): Promise<{ id: string }> {
  const id = turn.key;
  // a keyed request taken over after a crash re-sends the create of an order already made
  if (await findOrder(turn.sql, id)) return { id };
  const itemId = await nextId(turn.sql, "OI");
  const s = m.priceSnapshot;
  await turn.sql`
    insert into order_mgmt.product_order (id, customer_id, order_date, msisdn_preference, notes,
      placed_traceparent)
    values (${id}, ${m.customerId}, ${turn.now()}, ${m.msisdnPreference}, ${m.notes},
      ${currentTraceparent()})`;
  await turn.sql`
    insert into order_mgmt.order_item (id, order_id, offering_id, price_amount, price_currency,
      price_offering_price_id)
    values (${itemId}, ${id}, ${m.offeringId}, ${s.priceAmount}, ${s.priceCurrency},
      ${s.priceOfferingPriceId})`;
  await recordHistory(turn, id, null, "acknowledged", "order created");
  turn.emit(orderEvent("order.acknowledged", { id, customer_id: m.customerId }, {
    offeringId: m.offeringId,
    priceSnapshot: s,
  }));
  return { id };
}

/** `acknowledged → in_progress` with the card to charge; emits `order.in_progress`. */
export async function submitOrder(
  turn: Turn,
  m: OrderMessageOf<"submit">,
): Promise<{ id: string }> {
  const order = await getOrder(turn.sql, turn.key);
  await moveOrder(turn, order, "in_progress", {
    reason: "order submitted",
    paymentMethodId: m.paymentMethodId,
  });
  turn.emit(inProgressEvent(order, m.paymentMethodId));
  return { id: order.id };
}

/**
 * `acknowledged|in_progress → cancelled` while no service order has started; SOM, told by
 * `order.cancelled`, stops decomposing and releases what it reserved.
 */
export async function cancelOrder(
  turn: Turn,
  m: OrderMessageOf<"cancel">,
): Promise<{ id: string }> {
  const order = await getOrder(turn.sql, turn.key);
  if (order.state === "in_progress") assertNotStarted(order.id, m.serviceOrders);
  await moveOrder(turn, order, "cancelled", {
    reason: "cancelled by user",
    itemState: "cancelled",
    complete: true,
  });
  turn.emit(orderEvent("order.cancelled", order, {
    reason: "cancelled by user",
    fromState: order.state,
  }));
  return { id: order.id };
}
