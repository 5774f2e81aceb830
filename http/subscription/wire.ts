/**
 * The wire form of subscriptions and balances (docs/http.md §9.2).
 *
 * @module
 */
import type postgres from "postgres";
import type { z } from "zod";
import { canonicalAmount } from "../../actors/catalog/money.ts";
import { effectiveAmount } from "../../actors/subscription/money.ts";
import { type BalanceRow, type SubscriptionRow } from "../../actors/subscription/rows.ts";
import { clock } from "../../kernel/clock.ts";
import type { Sql } from "../../kernel/db/types.ts";
import { SUBSCRIPTIONS } from "./routes.ts";
import type { BundleBalance, Subscription } from "./schemas.ts";

const iso = (d: Date | null) => d?.toISOString() ?? null;
const money = (n: string | null) => n === null ? null : canonicalAmount(String(n));

/** A balance; data shows as unlimited while a day pass runs. */
export function balanceWire(row: BalanceRow, unlimited: boolean): z.input<typeof BundleBalance> {
  const open = unlimited && row.allowance_type === "data";
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    allowanceType: row.allowance_type as z.input<typeof BundleBalance>["allowanceType"],
    total: open ? -1 : row.total,
    consumed: row.consumed,
    remaining: open || row.total === -1 ? -1 : row.remaining,
    unit: row.unit,
    periodStart: iso(row.period_start) ?? "",
    periodEnd: iso(row.period_end) ?? "",
  };
}

/** Whether the subscription's data is unmetered right now (VAS_UNLIMITED_DAY). */
export function unmetered(row: SubscriptionRow): boolean {
  return row.unlimited_data_until !== null && row.unlimited_data_until > clock.now();
}

/** A subscription with its balances. */
export function subscriptionWire(
  row: SubscriptionRow,
  balances: BalanceRow[],
): z.input<typeof Subscription> {
  const discount = { type: row.discount_type, value: row.discount_value };
  return {
    atType: "Subscription",
    id: row.id,
    href: `${SUBSCRIPTIONS}/${row.id}`,
    customerId: row.customer_id,
    offeringId: row.offering_id,
    msisdn: row.msisdn,
    iccid: row.iccid,
    cfsServiceId: row.cfs_service_id,
    state: row.state,
    stateReason: row.state_reason,
    activatedAt: iso(row.activated_at),
    currentPeriodStart: iso(row.current_period_start),
    currentPeriodEnd: iso(row.current_period_end),
    nextRenewalAt: iso(row.next_renewal_at),
    terminatedAt: iso(row.terminated_at),
    balances: balances.map((b) => balanceWire(b, unmetered(row))),
    priceAmount: money(row.price_amount)!,
    priceCurrency: row.price_currency,
    priceOfferingPriceId: row.price_offering_price_id,
    pendingOfferingId: row.pending_offering_id,
    pendingOfferingPriceId: row.pending_offering_price_id,
    pendingEffectiveAt: iso(row.pending_effective_at),
    discountType: row.discount_type,
    discountValue: money(row.discount_value),
    discountPeriodsRemaining: row.discount_periods_remaining,
    effectiveAmount: effectiveAmount(row.price_amount, discount, row.discount_periods_remaining),
    promoCode: row.promo_code,
    promoOfferDefinitionId: row.promo_offer_definition_id,
    activationCode: row.activation_code,
    qrPayload: row.activation_code,
  };
}

/** A balance as `json_agg` nests it: its times as text. */
type NestedBalance = Omit<BalanceRow, "period_start" | "period_end"> & {
  period_start: string | null;
  period_end: string | null;
};

const date = (text: string | null) => text === null ? null : new Date(text);

/**
 * The subscriptions matching `where` (over `s`) in wire form, each with its balances, in one
 * statement: the account page and its live refreshes read these on every view, and one round
 * trip costs less than two.
 */
export async function subscriptionsWireWhere(
  sql: Sql,
  where: postgres.PendingQuery<postgres.Row[]>,
): Promise<z.input<typeof Subscription>[]> {
  const rows = await sql<(SubscriptionRow & { nested_balances: NestedBalance[] })[]>`
    select s.*, coalesce((
      select json_agg(b order by b.allowance_type) from (
        select id, subscription_id, allowance_type, total::int, consumed::int, remaining::int,
          unit, period_start, period_end
        from subscription.bundle_balance where subscription_id = s.id) b
    ), '[]') as nested_balances
    from subscription.subscription s where ${where} order by s.id`;
  return rows.map(({ nested_balances, ...row }) =>
    subscriptionWire(
      row,
      nested_balances.map((b) => ({
        ...b,
        period_start: date(b.period_start),
        period_end: date(b.period_end),
      })),
    )
  );
}
