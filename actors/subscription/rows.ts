/**
 * Subscription rows and the reads over them (free of the actor: reads never queue).
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import { NotFound } from "../../kernel/errors.ts";

/** A `subscription.subscription` row. */
export interface SubscriptionRow {
  id: string;
  customer_id: string;
  offering_id: string;
  commercial_order_id: string | null;
  msisdn: string;
  iccid: string;
  cfs_service_id: string | null;
  state: "pending" | "active" | "blocked" | "terminated";
  state_reason: string | null;
  activated_at: Date | null;
  current_period_start: Date | null;
  current_period_end: Date | null;
  next_renewal_at: Date | null;
  terminated_at: Date | null;
  last_renewal_attempted_at: Date | null;
  renewal_reminder_sent_at: Date | null;
  payment_method_id: string | null;
  price_amount: string;
  price_currency: string;
  price_offering_price_id: string;
  pending_offering_id: string | null;
  pending_offering_price_id: string | null;
  pending_effective_at: Date | null;
  discount_type: string | null;
  discount_value: string | null;
  discount_periods_remaining: number;
  promo_code: string | null;
  promo_offer_definition_id: string | null;
  activation_code: string | null;
  unlimited_data_until: Date | null;
}

/** A `subscription.bundle_balance` row. */
export interface BalanceRow {
  id: string;
  subscription_id: string;
  allowance_type: string;
  total: number;
  consumed: number;
  remaining: number;
  unit: string;
  period_start: Date | null;
  period_end: Date | null;
}

/** The subscription, or undefined. */
export async function findSubscription(
  sql: Sql,
  id: string,
): Promise<SubscriptionRow | undefined> {
  const [row] = await sql<SubscriptionRow[]>`
    select * from subscription.subscription where id = ${id}`;
  return row;
}

/** The subscription; an unknown id → 404. */
export async function getSubscriptionRow(sql: Sql, id: string): Promise<SubscriptionRow> {
  const row = await findSubscription(sql, id);
  if (!row) throw new NotFound("Subscription", id);
  return row;
}

/** The subscription created for a commercial order, if any. */
export async function findByCommercialOrder(
  sql: Sql,
  orderId: string,
): Promise<SubscriptionRow | undefined> {
  const [row] = await sql<SubscriptionRow[]>`
    select * from subscription.subscription where commercial_order_id = ${orderId}`;
  return row;
}

/** The balances of some subscriptions, by allowance type. */
export function balancesOf(sql: Sql, ids: string[]): Promise<BalanceRow[]> {
  return sql<BalanceRow[]>`
    select id, subscription_id, allowance_type, total::int, consumed::int, remaining::int, unit,
      period_start, period_end
    from subscription.bundle_balance where subscription_id = any(${ids})
    order by subscription_id, allowance_type`;
}

/** How many `active|pending` subscriptions a customer has (CRM's close guard). */
export async function liveSubscriptionCount(sql: Sql, customerId: string): Promise<number> {
  const [{ n }] = await sql`
    select count(*)::int as n from subscription.subscription
    where customer_id = ${customerId} and state in ('active', 'pending')`;
  return n;
}

/** How many `active` subscriptions a customer has (payment's card-removal guard). */
export async function activeSubscriptionCount(sql: Sql, customerId: string): Promise<number> {
  const [{ n }] = await sql`
    select count(*)::int as n from subscription.subscription
    where customer_id = ${customerId} and state = 'active'`;
  return n;
}
