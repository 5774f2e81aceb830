/**
 * What the order does with SOM's outcome (docs/flows.md §1.6, §1.8, docs/decisions.md "Activation decline").
 * A completed service order becomes a subscription (charged and activated by the
 * subscription service) and the order `completed`; a refusal there (a declined card, most
 * often) fails the order and puts the number and profile back in the pool, so nothing is
 * left behind. A failed service order fails the order (SOM has already released the line).
 * Outcomes for an order that is no longer `in_progress` are ignored.
 *
 * @module
 */
import { PolicyViolation } from "../../kernel/errors.ts";
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
function declineCodeOf(v: PolicyViolation): string | null {
  const c = v.context;
  const code = [c.declineCode, c.decline_code, c.declineReason, c.decline_reason, c.paymentStatus]
    .find((x) => typeof x === "string" && x !== "");
  return (code as string | undefined) ?? null;
}

/** `service_order.completed`: create the subscription, then complete (or fail) the order. */
export async function completeOrder(
  turn: Turn,
  m: OrderMessageOf<"service_order_completed">,
  ports: Pick<ComPorts, "createSubscription" | "releaseLine">,
): Promise<void> {
  const order = await openOrder(turn, "service_order.completed");
  if (!order) return;
  const item = order.items[0];
  const priceSnapshot = m.priceSnapshot ?? snapshotOf(item);
  const paymentMethodId = m.paymentMethodId ?? order.payment_method_id;
  if (!priceSnapshot || !paymentMethodId) {
    throw new Error(`order ${order.id} has no price snapshot or payment method to activate`);
  }
  let subscription: { id: string };
  try {
    subscription = await ports.createSubscription({
      customerId: order.customer_id,
      offeringId: item.offering_id,
      msisdn: m.msisdn,
      iccid: m.iccid,
      paymentMethodId,
      commercialOrderId: order.id,
      priceSnapshot,
    });
  } catch (e) {
    // Anything else (an unreachable service) is retried: the create is idempotent per order.
    if (!(e instanceof PolicyViolation)) throw e;
    await ports.releaseLine({ msisdn: m.msisdn, iccid: m.iccid });
    await moveOrder(turn, order, "failed", { reason: e.rule, itemState: "failed", complete: true });
    turn.emit(orderEvent("order.failed", order, {
      reason: e.rule,
      declineCode: declineCodeOf(e),
      serviceOrderId: m.serviceOrderId,
    }));
    return;
  }
  await moveOrder(turn, order, "completed", {
    reason: "service order completed",
    itemState: "completed",
    targetSubscriptionId: subscription.id,
    complete: true,
  });
  turn.emit(orderEvent("order.completed", order, {
    subscriptionId: subscription.id,
    cfsServiceId: m.cfsServiceId,
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
