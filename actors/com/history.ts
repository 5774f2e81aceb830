/**
 * Moves an order between states: checks the transition, updates the row (and its item),
 * appends the history line. Events are the caller's: each move has its own payload.
 *
 * @module
 */
import type { Turn } from "../runtime/types.ts";
import type { OrderRow, OrderState } from "./model.ts";
import { assertTransition } from "./policies.ts";

/** Appends one history line. */
export async function recordHistory(
  turn: Turn,
  orderId: string,
  from: OrderState | null,
  to: OrderState,
  reason: string,
): Promise<void> {
  await turn.sql`
    insert into order_mgmt.order_state_history
      (order_id, from_state, to_state, changed_by, reason, event_time)
    values (${orderId}, ${from}, ${to}, ${turn.caller.actor}, ${reason}, ${turn.now()})`;
}

/** What a move changes beside the state. */
export interface MoveChanges {
  reason: string;
  /** The item's new state, when it changes with the order. */
  itemState?: string;
  targetSubscriptionId?: string;
  paymentMethodId?: string;
  /** Stamps completed_date (terminal moves). */
  complete?: boolean;
}

/** Moves `order` to `to` (`order.transition.invalid` when illegal). */
export async function moveOrder(
  turn: Turn,
  order: OrderRow,
  to: OrderState,
  changes: MoveChanges,
): Promise<void> {
  assertTransition(order.id, order.state, to);
  const now = turn.now();
  // The statements go out at once (one round trip).
  await Promise.all([
    turn.sql`
      update order_mgmt.product_order set state = ${to},
        payment_method_id = coalesce(${changes.paymentMethodId ?? null}, payment_method_id),
        completed_date = case when ${changes.complete ?? false} then ${now}::timestamptz
          else completed_date end,
        updated_at = now()
      where id = ${order.id}`,
    changes.itemState && turn.sql`
      update order_mgmt.order_item set state = ${changes.itemState},
        target_subscription_id = coalesce(${changes.targetSubscriptionId ?? null},
          target_subscription_id),
        updated_at = now()
      where order_id = ${order.id}`,
    recordHistory(turn, order.id, order.state, to, changes.reason),
  ]);
}
