/**
 * What the order does with SOM's outcome (docs/flows.md §1.6, §1.8, docs/decisions.md "Activation decline"),
 * without waiting on another service in its turn. A completed service order fixes the
 * subscription id on the order item and asks the subscription service (by message) to charge
 * and activate it; the answer arrives as a later message: `subscription_activated` completes
 * the order, `subscription_refused` (a declined card, most often) fails it — the subscription
 * side has already given back the charge and the line. A failed service order fails the
 * order (SOM has already released the line). Outcomes for an order that is no longer
 * `in_progress` are ignored.
 *
 * @module
 */
import { nextId } from "../../kernel/ids.ts";
import { log } from "../../kernel/log.ts";
import type { Turn } from "../runtime/types.ts";
import { orderEvent } from "./events.ts";
import { moveOrder } from "./history.ts";
import type { OrderMessageOf } from "./messages.ts";
import { type OrderRow, snapshotOf } from "./model.ts";
import type { ComPorts } from "./ports.ts";
import { findOrder } from "./queries.ts";

async function openOrder(turn: Turn, event: string): Promise<OrderRow | undefined> {
  const order = await findOrder(turn.sql, turn.key);
  if (order?.state === "in_progress") return order;
  log.info("order.outcome.ignored", { order_id: turn.key, state: order?.state, event });
  return undefined;
}

/** The decline code a refusal carries, if the payment side gave one (either key casing). */
function declineCodeOf(context: Record<string, unknown>): string | null {
  const c = context;
  const code = [c.declineCode, c.decline_code, c.declineReason, c.decline_reason, c.paymentStatus]
    .find((x) => typeof x === "string" && x !== "");
  return (code as string | undefined) ?? null;
}

/** `service_order.completed`: fix the subscription id and ask for the activation. */
export async function completeOrder(
  turn: Turn,
  m: OrderMessageOf<"service_order_completed">,
  ports: Pick<ComPorts, "requestSubscription">,
): Promise<void> {
  const order = await openOrder(turn, "service_order.completed");
  if (!order) return;
  const item = order.items[0];
  if (item.target_subscription_id) {
    log.info("order.activation.already_requested", { order_id: order.id });
    return;
  }
  const priceSnapshot = m.priceSnapshot ?? snapshotOf(item);
  const paymentMethodId = m.paymentMethodId ?? order.payment_method_id;
  if (!priceSnapshot || !paymentMethodId) {
    throw new Error(`order ${order.id} has no price snapshot or payment method to activate`);
  }
  const subscriptionId = await nextId(turn.sql, "SUB");
  await turn.sql`
    update order_mgmt.order_item set target_subscription_id = ${subscriptionId},
      updated_at = now()
    where id = ${item.id}`;
  ports.requestSubscription(turn, {
    subscriptionId,
    customerId: order.customer_id,
    offeringId: item.offering_id,
    msisdn: m.msisdn,
    iccid: m.iccid,
    paymentMethodId,
    commercialOrderId: order.id,
    priceSnapshot,
    cfsServiceId: m.cfsServiceId,
    serviceOrderId: m.serviceOrderId,
  });
}

/** The subscription is active: the order completes. */
export async function subscriptionActivated(
  turn: Turn,
  m: OrderMessageOf<"subscription_activated">,
): Promise<void> {
  const order = await openOrder(turn, "subscription_activated");
  if (!order) return;
  await moveOrder(turn, order, "completed", {
    reason: "service order completed",
    itemState: "completed",
    targetSubscriptionId: m.subscriptionId,
    complete: true,
  });
  turn.emit(orderEvent("order.completed", order, {
    subscriptionId: m.subscriptionId,
    cfsServiceId: m.cfsServiceId ?? null,
  }));
}

/** The activation was refused (and undone on the subscription side): the order fails. */
export async function subscriptionRefused(
  turn: Turn,
  m: OrderMessageOf<"subscription_refused">,
): Promise<void> {
  const order = await openOrder(turn, "subscription_refused");
  if (!order) return;
  await moveOrder(turn, order, "failed", { reason: m.rule, itemState: "failed", complete: true });
  // The id fixed for the activation named a line that was never made: a failed order targets
  // no subscription (the refusal's events keep the id that was tried).
  await turn.sql`
    update order_mgmt.order_item set target_subscription_id = null, updated_at = now()
    where order_id = ${order.id}`;
  turn.emit(orderEvent("order.failed", order, {
    reason: m.rule,
    declineCode: declineCodeOf(m.context),
    serviceOrderId: m.serviceOrderId ?? null,
  }));
}

/** `service_order.failed`: the order fails with SOM's reason. */
export async function failOrder(
  turn: Turn,
  m: OrderMessageOf<"service_order_failed">,
): Promise<void> {
  const order = await openOrder(turn, "service_order.failed");
  if (!order) return;
  await moveOrder(turn, order, "failed", { reason: m.reason, itemState: "failed", complete: true });
  turn.emit(orderEvent("order.failed", order, {
    reason: m.reason,
    serviceOrderId: m.serviceOrderId,
  }));
}
