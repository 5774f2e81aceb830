/**
 * The commercial order's vocabulary: states, the transitions between them (docs/domain.md §3
 * "Product order"), the price snapshot and the rows as read back.
 *
 * @module
 */

/** Every state of a product order; `completed|failed|cancelled` are terminal. */
export const ORDER_STATES = [
  "acknowledged",
  "in_progress",
  "completed",
  "failed",
  "cancelled",
] as const;

/** A product order state. */
export type OrderState = typeof ORDER_STATES[number];

/** Where each state may go. */
export const ORDER_TRANSITIONS: Record<OrderState, readonly OrderState[]> = {
  acknowledged: ["in_progress", "cancelled"],
  in_progress: ["completed", "failed", "cancelled"],
  completed: [],
  failed: [],
  cancelled: [],
};

/** The undiscounted base price taken at order time (docs/domain.md §6.1). */
export interface PriceSnapshot {
  priceAmount: string;
  priceCurrency: string;
  priceOfferingPriceId: string;
}

/** An order item as stored. */
export interface OrderItemRow {
  id: string;
  action: string;
  offering_id: string;
  state: string;
  target_subscription_id: string | null;
  price_amount: string | null;
  price_currency: string | null;
  price_offering_price_id: string | null;
  discount_code: string | null;
  promo_offer_definition_id: string | null;
  discount_type: string | null;
  discount_value: string | null;
  discount_periods_total: number | null;
  promo_offer_id: string | null;
}

/** A product order as stored, with its item. */
export interface OrderRow {
  id: string;
  customer_id: string;
  state: OrderState;
  order_date: Date;
  requested_completion_date: Date | null;
  completed_date: Date | null;
  msisdn_preference: string | null;
  notes: string | null;
  payment_method_id: string | null;
  stuck_flagged_at: Date | null;
  items: OrderItemRow[];
}

/** The snapshot of an item, or null when it has none. */
export function snapshotOf(item: OrderItemRow): PriceSnapshot | null {
  if (item.price_amount === null || item.price_offering_price_id === null) return null;
  return {
    priceAmount: item.price_amount,
    priceCurrency: item.price_currency ?? "SGD",
    priceOfferingPriceId: item.price_offering_price_id,
  };
}
