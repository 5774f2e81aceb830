/**
 * Bundle balances: one row per allowance type (`{SUB}-{TYPE}`), total −1 = unlimited.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import type { Period } from "./period.ts";
import type { Allowance } from "./ports.ts";

/** The allowance types a bundle tracks. */
const TRACKED = new Set(["data", "voice", "sms", "data_roaming"]);

/**
 * Gives the subscription a fresh bundle for `period`: each of `allowances` at full quantity
 * and nothing consumed; types the plan no longer has drop to zero (docs/domain.md §6.6).
 */
export async function freshBundle(
  sql: Sql,
  subscriptionId: string,
  allowances: Allowance[],
  period: Period,
): Promise<void> {
  const kept = allowances.filter((a) => TRACKED.has(a.allowanceType));
  // Both statements go out at once (one round trip), in this order.
  await Promise.all([
    sql`
      insert into subscription.bundle_balance
        (id, subscription_id, allowance_type, total, consumed, unit, period_start, period_end)
      select ${subscriptionId} || '-' || upper(t), ${subscriptionId}, t, q, 0, u,
        ${period.start}, ${period.end}
      from unnest(${kept.map((a) => a.allowanceType)}::text[],
        ${kept.map((a) => a.quantity)}::bigint[], ${kept.map((a) => a.unit)}::text[]) as k(t, q, u)
      on conflict (subscription_id, allowance_type) do update set
        total = excluded.total, consumed = 0, unit = excluded.unit,
        period_start = excluded.period_start, period_end = excluded.period_end,
        updated_at = now()`,
    sql`
      update subscription.bundle_balance
      set total = 0, consumed = 0, period_start = ${period.start}, period_end = ${period.end},
        updated_at = now()
      where subscription_id = ${subscriptionId}
        and allowance_type <> all(${kept.map((a) => a.allowanceType)})`,
  ]);
}

/** One balance row, locked for this turn. */
export interface LockedBalance {
  total: number;
  consumed: number;
  remaining: number;
}

/** The (subscription, type) balance, locked `FOR UPDATE`, or undefined. */
export async function lockBalance(
  sql: Sql,
  subscriptionId: string,
  type: string,
): Promise<LockedBalance | undefined> {
  const [row] = await sql<LockedBalance[]>`
    select total::int, consumed::int, remaining::int from subscription.bundle_balance
    where subscription_id = ${subscriptionId} and allowance_type = ${type} for update`;
  return row;
}

/** Whether the primary (data) allowance is spent: a finite row at zero, or no row. */
export async function dataExhausted(sql: Sql, subscriptionId: string): Promise<boolean> {
  const row = await lockBalance(sql, subscriptionId, "data");
  return !row || (row.total !== -1 && row.remaining <= 0);
}
