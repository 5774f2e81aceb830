/**
 * Renewal (docs/flows.md §3.2, 01 §6.6, 00): at each 30-day boundary a BSS-clock timer (or the
 * tick-now sweep) tells the actor `renewal_due`; active and blocked lines alike are charged.
 * The turn marks the boundary attempted, records the charge intent and stages the charge
 * (`charge_effects.ts`): no turn waits on payment or the catalog. The outcome arrives as
 * `renewal_charged`: approved → fresh bundle, `active`, the next period anchored at the
 * previous end; declined → `blocked`. A boundary is attempted once: the actor serialises,
 * `last_renewal_attempted_at` marks the boundary done, and the charge's idempotency key names
 * the period, so a resumed charge is the same charge.
 *
 * @module
 */
import { z } from "zod";
import type { Turn } from "../runtime/types.ts";
import { freshBundle } from "./balances.ts";
import { RenewalCharge, RenewalCharged, stageRefund } from "./charge_effects.ts";
import { type ChargeReply, runningIntent, settleIntent, stageCharge } from "./charge_intents.ts";
import { type Ctx, ownSubscription, requireSubscription } from "./context.ts";
import { armRenewalTimers } from "./timers.ts";
import { emitSubscriptionEvent, fire } from "./machine.ts";
import type { MessageOf } from "./messages.ts";
import { nextPeriod, PERIOD_MS } from "./period.ts";
import type { SubscriptionRow } from "./rows.ts";
import { assertRenewable } from "./policies.ts";

/** The automatic renewal of one boundary; a stale or repeated boundary is a no-op. */
export async function renewalDue(
  { turn }: Ctx,
  m: MessageOf<"renewal_due">,
): Promise<ChargeReply | null> {
  const sub = await ownSubscription(turn);
  const boundary = new Date(m.boundary);
  if (
    !sub || (sub.state !== "active" && sub.state !== "blocked") ||
    sub.next_renewal_at?.getTime() !== boundary.getTime() ||
    (sub.last_renewal_attempted_at && sub.last_renewal_attempted_at >= boundary)
  ) return null;
  // The timer fired on the database's clock; this process's may trail it by a moment.
  const at = new Date(Math.max(turn.now().getTime(), boundary.getTime()));
  await turn.sql`
    update subscription.subscription set last_renewal_attempted_at = ${at}
    where id = ${sub.id}`;
  return await stageRenewal(turn, sub, await boundaryKey(turn, m.boundary), at, {
    timer: true,
    attemptedBefore: sub.last_renewal_attempted_at?.toISOString() ?? null,
  });
}

/**
 * The charge key of a boundary's renewal: `renewal:<sub>:<boundary>`, suffixed by the number of
 * earlier tries that were refused (no card, or failed and refunded), so a new try is a new
 * charge rather than a replay of the refused one.
 */
async function boundaryKey(turn: Turn, boundary: string): Promise<string> {
  const key = `renewal:${turn.key}:${boundary}`;
  const [{ refused }] = await turn.sql<{ refused: number }[]>`
    select count(*)::int as refused from subscription.charge_intent
    where subscription_id = ${turn.key} and state = 'refused'
      and starts_with(idempotency_key, ${key})`;
  return refused ? `${key}:try${refused + 1}` : key;
}

/** A renewal asked for by the customer or an operator. */
export async function renewNow({ turn }: Ctx): Promise<ChargeReply> {
  const sub = await requireSubscription(turn);
  assertRenewable(sub);
  // one manual renewal = one request message, retried turns included
  return await stageRenewal(turn, sub, `renewal:${sub.id}:manual:${turn.messageId}`, turn.now(), {
    timer: false,
    attemptedBefore: null,
  });
}

/** What a renewal's outcome turn needs: its instant and, for a timer, the mark to restore. */
const RenewalRequest = z.object({
  at: z.string(),
  timer: z.boolean(),
  attemptedBefore: z.string().nullable(),
});

/** Records the renewal of the period starting at `at` and stages its charge. */
function stageRenewal(
  turn: Turn,
  sub: SubscriptionRow,
  key: string,
  at: Date,
  origin: Omit<z.infer<typeof RenewalRequest>, "at">,
): Promise<ChargeReply> {
  const pivotDue = sub.pending_offering_id && sub.pending_offering_price_id &&
    sub.pending_effective_at && sub.pending_effective_at <= at;
  const input: Omit<RenewalCharge, "key"> = {
    customerId: sub.customer_id,
    offeringId: sub.offering_id,
    price: {
      id: sub.price_offering_price_id,
      amount: sub.price_amount,
      currency: sub.price_currency,
    },
    pending: pivotDue
      ? { offeringId: sub.pending_offering_id!, priceId: sub.pending_offering_price_id! }
      : null,
    discount: sub.discount_periods_remaining !== 0
      ? { type: sub.discount_type, value: sub.discount_value }
      : null,
  };
  return stageCharge(turn, "renewal", key, { at: at.toISOString(), ...origin }, input);
}

/**
 * The renewal charge's outcome: approved → the next period; declined → blocked; refused (no
 * card) → nothing changes, as if never attempted; failed past its retries → refunded by key
 * and left for the next attempt. A line no longer renewable gets its charge back.
 */
export async function renewalCharged(
  { turn }: Ctx,
  m: MessageOf<"renewal_charged">,
): Promise<void> {
  const intent = await runningIntent(turn, m.effectKey);
  if (!intent) return;
  const request = RenewalRequest.parse(intent.request);
  const outcome = m.outcome;
  if (!outcome.ok) {
    if (!outcome.refusal) await stageRefund(turn, m.effectKey, "renewal_failed");
    // A timer's boundary counts as not attempted: the next sweep or boundary tries again.
    if (request.timer) {
      await turn.sql`
        update subscription.subscription
        set last_renewal_attempted_at = ${request.attemptedBefore}
        where id = ${turn.key}`;
    }
    return await settleIntent(
      turn,
      m.effectKey,
      outcome.refusal ?? {
        rule: "subscription.renew.charge_failed",
        message: `the renewal charge could not complete: ${outcome.error ?? "unknown error"}`,
        context: {},
      },
    );
  }
  const charged = RenewalCharged.parse(outcome.value);
  const sub = await ownSubscription(turn);
  if (!sub || (sub.state !== "active" && sub.state !== "blocked")) {
    if (charged.attempt.status === "approved") {
      await stageRefund(turn, m.effectKey, "renewal_not_applicable");
    }
    const state = sub?.state ?? "gone";
    return await settleIntent(turn, m.effectKey, {
      rule: "subscription.renew.only_if_active_or_blocked",
      message: `a ${state} subscription cannot renew`,
      context: { state },
    });
  }
  const at = new Date(request.at);
  if (charged.attempt.status === "approved") await renewed(turn, sub, charged, at);
  else await declined(turn, sub, charged.target, charged.attempt.id, at);
  await settleIntent(turn, m.effectKey);
}

/** An approved renewal: a fresh bundle and the next period, on the plan charged for. */
async function renewed(turn: Turn, sub: SubscriptionRow, charged: RenewalCharged, now: Date) {
  const { target, attempt } = charged;
  const period = nextPeriod(sub.current_period_end, now);
  await freshBundle(turn.sql, sub.id, charged.allowances, period);
  // A pivot takes the new plan and ends any promo; otherwise a promo period is used up, and a
  // pending change not yet due (a renewal asked for early) now waits for the new boundary.
  const planTerms = target.pivot
    ? turn.sql`offering_id = ${target.offeringId}, price_amount = ${target.price.amount},
        price_currency = ${target.price.currency}, price_offering_price_id = ${target.price.id},
        pending_offering_id = null, pending_offering_price_id = null,
        pending_effective_at = null, discount_type = null, discount_value = null,
        discount_periods_remaining = 0, promo_code = null, promo_offer_definition_id = null`
    : turn.sql`discount_periods_remaining = case when discount_periods_remaining > 0
        then discount_periods_remaining - 1 else discount_periods_remaining end,
        pending_effective_at = case when pending_effective_at < ${period.end}
          then ${period.end} else pending_effective_at end`;
  await turn.sql`
    update subscription.subscription set
      current_period_start = ${period.start}, current_period_end = ${period.end},
      next_renewal_at = ${period.end}, payment_method_id = ${charged.paymentMethodId}, ${planTerms}
    where id = ${sub.id}`;
  await fire(turn, sub, "renew", "renewal_payment_approved");
  armRenewalTimers(turn, period.end);
  emitSubscriptionEvent(turn, "subscription.renewed", {
    subscriptionId: sub.id,
    offeringId: target.offeringId,
    paymentAttemptId: attempt.id,
    periodStart: period.start.toISOString(),
    periodEnd: period.end.toISOString(),
    priceSnapshot: {
      priceAmount: target.price.amount,
      priceCurrency: target.price.currency,
      priceOfferingPriceId: target.price.id,
    },
    amountCharged: attempt.amount,
    discountApplied: charged.discountApplied,
  });
  if (target.pivot) {
    const type = target.offeringId === sub.offering_id
      ? "subscription.price_migrated"
      : "subscription.plan_changed";
    emitSubscriptionEvent(turn, type, {
      subscriptionId: sub.id,
      previousOfferingId: sub.offering_id,
      newOfferingId: target.offeringId,
      newPriceAmount: target.price.amount,
      newPriceCurrency: target.price.currency,
      newPriceOfferingPriceId: target.price.id,
    });
  }
}

/**
 * A declined renewal blocks the line (no retry ladder); a pending change stays pending. The
 * next automatic attempt is the next boundary, still anchored on the unpaid period's.
 */
async function declined(
  turn: Ctx["turn"],
  sub: SubscriptionRow,
  target: RenewalCharged["target"],
  paymentAttemptId: string,
  now: Date,
): Promise<void> {
  const due = sub.next_renewal_at && sub.next_renewal_at <= now ? sub.next_renewal_at : null;
  if (due) {
    const next = new Date(nextPeriod(due, now).end.getTime());
    await turn.sql`
      update subscription.subscription set next_renewal_at = ${next} where id = ${sub.id}`;
    armRenewalTimers(turn, next);
  }
  await fire(turn, sub, "renew_fail", "renewal_payment_declined");
  emitSubscriptionEvent(turn, "subscription.renew_failed", {
    subscriptionId: sub.id,
    reason: "payment_declined",
    paymentAttemptId,
  });
  if (target.pivot) {
    emitSubscriptionEvent(turn, "subscription.plan_change_payment_failed", {
      subscriptionId: sub.id,
      currentOfferingId: sub.offering_id,
      pendingOfferingId: target.offeringId,
      paymentAttemptId,
    });
  }
  if (sub.state !== "blocked") {
    emitSubscriptionEvent(turn, "subscription.blocked", {
      subscriptionId: sub.id,
      reason: "renew_failed",
    });
  }
}

/**
 * The reminder of an upcoming renewal, once per period: a `notification.requested` email for
 * an active line whose boundary is still this one.
 */
export async function reminderDue({ turn }: Ctx, m: MessageOf<"reminder_due">): Promise<void> {
  const sub = await ownSubscription(turn);
  const boundary = new Date(m.boundary);
  if (
    !sub || sub.state !== "active" || sub.next_renewal_at?.getTime() !== boundary.getTime() ||
    (sub.renewal_reminder_sent_at &&
      sub.renewal_reminder_sent_at.getTime() >= boundary.getTime() - PERIOD_MS)
  ) return;
  await turn.sql`
    update subscription.subscription set renewal_reminder_sent_at = ${turn.now()}
    where id = ${sub.id}`;
  emitSubscriptionEvent(turn, "notification.requested", {
    customerId: sub.customer_id,
    channel: "email",
    template: "renewal_reminder",
    templateArgs: {
      subscriptionId: sub.id,
      offeringId: sub.offering_id,
      msisdn: sub.msisdn,
      amount: sub.price_amount,
      currency: sub.price_currency,
      renewalAt: m.boundary,
    },
  });
}
