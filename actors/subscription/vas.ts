/**
 * VAS top-ups (docs/flows.md §2, 01 §6.5): charged on the customer's card with a key stable per
 * purchase, by an effect after the purchase's turn (`charge_effects.ts`); the top-up is
 * applied in the turn its approved charge is reported to. A top-up unblocks an exhausted line only when it restores the data allowance
 * (docs/decisions.md). `VAS_UNLIMITED_DAY` unmeters data for 24 h; a BSS-clock timer ends it for real.
 *
 * @module
 */
import type { z } from "zod";
import { randomId } from "../../kernel/ids.ts";
import { dataExhausted, lockBalance } from "./balances.ts";
import { type Ctx, ownSubscription, requireSubscription } from "./context.ts";
import { emitSubscriptionEvent, fire } from "./machine.ts";
import type { MessageOf } from "./messages.ts";
import type { SubscriptionRow } from "./rows.ts";
import { blockIfExhausted } from "./usage.ts";
import { stageRefund, VasCharged } from "./charge_effects.ts";
import { type ChargeReply, runningIntent, settleIntent, stageCharge } from "./charge_intents.ts";
import { assertVasLineLive } from "./policies.ts";

const HOUR_MS = 3600 * 1000;

/** Buys a VAS for the actor's subscription: records the intent and stages its charge. */
export async function purchaseVas(
  { turn }: Ctx,
  m: MessageOf<"vas_purchase">,
): Promise<ChargeReply> {
  const sub = await requireSubscription(turn);
  assertVasLineLive(sub);
  const request = { vasOfferingId: m.vasOfferingId };
  // one purchase = one request (its key) or one message, retried turns included
  const key = `vas:${sub.id}:${m.requestKey ?? turn.messageId}`;
  return await stageCharge(turn, "vas", key, request, {
    customerId: sub.customer_id,
    ...request,
  });
}

/**
 * The VAS charge's outcome: approved → the top-up applied; refused (no offering, no card, a
 * decline) → nothing applied; failed past its retries, or the line terminated meanwhile →
 * refunded by key and refused.
 */
export async function vasCharged({ turn }: Ctx, m: MessageOf<"vas_charged">): Promise<void> {
  const intent = await runningIntent(turn, m.effectKey);
  if (!intent) return;
  const outcome = m.outcome;
  if (!outcome.ok) {
    if (!outcome.refusal) await stageRefund(turn, m.effectKey, "vas_failed");
    return await settleIntent(
      turn,
      m.effectKey,
      outcome.refusal ?? {
        rule: "subscription.vas_purchase.charge_failed",
        message: `the top-up charge could not complete: ${outcome.error ?? "unknown error"}`,
        context: {},
      },
    );
  }
  const { vas, attempt } = VasCharged.parse(outcome.value);
  const sub = await requireSubscription(turn);
  if (sub.state === "terminated") {
    await stageRefund(turn, m.effectKey, "vas_not_applicable");
    return await settleIntent(turn, m.effectKey, {
      rule: "subscription.vas_purchase.not_if_terminated",
      message: "a terminated subscription cannot buy top-ups",
      context: { state: sub.state },
    });
  }
  await applyVas(turn, sub, vas, attempt.id);
  await settleIntent(turn, m.effectKey);
}

/** Applies a paid top-up (once per payment attempt). */
async function applyVas(
  turn: Ctx["turn"],
  sub: SubscriptionRow,
  vas: z.infer<typeof VasCharged>["vas"],
  paymentAttemptId: string,
): Promise<void> {
  const [applied] = await turn.sql`
    select 1 from subscription.vas_purchase where payment_attempt_id = ${paymentAttemptId}`;
  if (applied) return;
  const now = turn.now();
  const expiresAt = vas.expiryHours ? new Date(now.getTime() + vas.expiryHours * HOUR_MS) : null;
  await turn.sql`
    insert into subscription.vas_purchase (id, subscription_id, vas_offering_id,
      payment_attempt_id, applied_at, expires_at, allowance_added, allowance_type)
    values (${randomId(`${sub.id}-VAS`, true)}, ${sub.id}, ${vas.id}, ${paymentAttemptId}, ${now},
      ${expiresAt}, ${vas.allowanceQuantity}, ${vas.allowanceType})`;
  const dayPass = vas.allowanceQuantity === -1 && vas.allowanceType === "data" && expiresAt;
  if (dayPass) {
    await startUnlimitedDay(turn, sub, dayPass);
  } else {
    await addAllowance(turn.sql, sub, vas.allowanceType, vas.allowanceQuantity, vas.allowanceUnit);
  }
  emitSubscriptionEvent(turn, "subscription.vas_purchased", {
    subscriptionId: sub.id,
    vasOfferingId: vas.id,
    paymentAttemptId,
    allowanceType: vas.allowanceType,
    allowanceAdded: vas.allowanceQuantity,
    previousState: sub.state,
  });
  // Only a top-up that gives back data lifts an exhaustion block (docs/decisions.md).
  if (sub.state === "active") {
    await fire(turn, sub, "top_up", "vas_top_up");
  } else if (
    sub.state_reason === "primary_allowance_exhausted" &&
    (dayPass || !(await dataExhausted(turn.sql, sub.id)))
  ) {
    await fire(turn, sub, "top_up", "vas_top_up");
    emitSubscriptionEvent(turn, "subscription.unblocked", {
      subscriptionId: sub.id,
      reason: "vas_top_up",
    });
  }
}

/** Adds a finite top-up to its balance (a new row ends with the current period). */
async function addAllowance(
  sql: Ctx["turn"]["sql"],
  sub: SubscriptionRow,
  type: string,
  quantity: number,
  unit: string | null,
): Promise<void> {
  if (quantity <= 0) return;
  const row = await lockBalance(sql, sub.id, type);
  if (row && row.total === -1) return;
  if (row) {
    await sql`
      update subscription.bundle_balance set total = total + ${quantity}, updated_at = now()
      where subscription_id = ${sub.id} and allowance_type = ${type}`;
    return;
  }
  await sql`
    insert into subscription.bundle_balance
      (id, subscription_id, allowance_type, total, consumed, unit, period_start, period_end)
    values (${`${sub.id}-${type.toUpperCase()}`}, ${sub.id}, ${type}, ${quantity}, 0,
      ${unit ?? "mb"}, ${sub.current_period_start}, ${sub.current_period_end})`;
}

/** Unmeters data until `until` (extending a running day pass) and arms its end. */
async function startUnlimitedDay(turn: Ctx["turn"], sub: SubscriptionRow, until: Date) {
  const now = turn.now();
  const from = sub.unlimited_data_until && sub.unlimited_data_until > now
    ? sub.unlimited_data_until
    : now;
  const end = new Date(from.getTime() + (until.getTime() - now.getTime()));
  await turn.sql`
    update subscription.subscription set unlimited_data_until = ${end} where id = ${sub.id}`;
  turn.tell("subscription", sub.id, { type: "unlimited_expired", until: end.toISOString() }, {
    deliverAt: end,
  });
}

/** The day pass ran out: data is metered again, and a spent bundle blocks the line. */
export async function endUnlimitedDay(
  { turn }: Ctx,
  m: MessageOf<"unlimited_expired">,
): Promise<void> {
  const sub = await ownSubscription(turn);
  if (sub?.unlimited_data_until?.toISOString() !== m.until) return;
  await turn.sql`
    update subscription.subscription set unlimited_data_until = null where id = ${sub.id}`;
  await blockIfExhausted({ turn }, { ...sub, unlimited_data_until: null }, null);
}
