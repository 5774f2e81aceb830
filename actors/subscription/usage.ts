/**
 * Usage decrement (docs/flows.md §2, 01 §6.5), from `usage.rated`: the actor serialises the
 * decrements of one subscription and `applied_usage` makes a redelivered event a no-op. The
 * instant the data bundle is spent the line blocks; a blocked (or otherwise not active) line
 * rejects usage.
 *
 * @module
 */
import { dataExhausted, lockBalance } from "./balances.ts";
import { type Ctx, ownSubscription } from "./context.ts";
import { emitSubscriptionEvent, fire } from "./machine.ts";
import type { MessageOf } from "./messages.ts";
import type { SubscriptionRow } from "./rows.ts";

type UsageRated = MessageOf<"usage_rated">;

/** Applies one rated usage event, at most once. */
export async function applyUsage({ turn }: Ctx, m: UsageRated): Promise<void> {
  const sub = await ownSubscription(turn);
  if (!sub) return;
  const [fresh] = await turn.sql`
    insert into subscription.applied_usage
      (usage_event_id, subscription_id, allowance_type, quantity, applied_at)
    values (${m.usageEventId}, ${sub.id}, ${m.allowanceType}, ${m.consumedQuantity}, ${turn.now()})
    on conflict (usage_event_id) do nothing
    returning usage_event_id`;
  if (!fresh) return;
  const reject = (reason: string, remaining?: number) =>
    emitSubscriptionEvent(turn, "usage.rejected", {
      subscriptionId: sub.id,
      allowanceType: m.allowanceType,
      usageEventId: m.usageEventId,
      reason,
      subscription_id: sub.id,
      consumed_quantity: m.consumedQuantity,
      ...(remaining === undefined ? {} : { remaining }),
    });
  if (sub.state !== "active") return reject("subscription.usage_rated.subscription_not_active");
  if (m.allowanceType === "data" && unlimitedData(sub, turn.now())) return;
  const balance = await lockBalance(turn.sql, sub.id, m.allowanceType);
  if (
    m.allowanceType === "data_roaming" &&
    (!balance || (balance.total !== -1 && balance.remaining <= 0))
  ) {
    return reject("subscription.usage_rated.roaming_balance_required", balance?.remaining);
  }
  if (!balance || balance.total === -1) return;
  await turn.sql`
    update subscription.bundle_balance
    set consumed = least(consumed + ${m.consumedQuantity}, total), updated_at = now()
    where subscription_id = ${sub.id} and allowance_type = ${m.allowanceType}`;
  if (m.allowanceType === "data") await blockIfExhausted({ turn }, sub, m.usageEventId);
}

/** Whether a VAS_UNLIMITED_DAY is running. */
export function unlimitedData(sub: SubscriptionRow, now: Date): boolean {
  return sub.unlimited_data_until !== null && sub.unlimited_data_until > now;
}

/** Blocks an active line whose data bundle is spent: `exhausted` then `blocked`. */
export async function blockIfExhausted(
  { turn }: Pick<Ctx, "turn">,
  sub: SubscriptionRow,
  triggeringUsageEventId: string | null,
): Promise<void> {
  if (sub.state !== "active" || !(await dataExhausted(turn.sql, sub.id))) return;
  const data = await lockBalance(turn.sql, sub.id, "data");
  emitSubscriptionEvent(turn, "subscription.exhausted", {
    subscriptionId: sub.id,
    allowanceType: "data",
    consumed: data?.consumed ?? 0,
    total: data?.total ?? 0,
    triggeringUsageEventId,
  });
  await fire(turn, sub, "exhaust", "primary_allowance_exhausted");
  emitSubscriptionEvent(turn, "subscription.blocked", {
    subscriptionId: sub.id,
    reason: "exhausted",
  });
}
