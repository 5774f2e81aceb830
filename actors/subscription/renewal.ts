/**
 * Renewal (docs/flows.md §3.2, 01 §6.6, 00): at each 30-day boundary a BSS-clock timer (or the
 * tick-now sweep) tells the actor `renewal_due`; active and blocked lines alike are charged.
 * Approved → fresh bundle, `active`, the next period anchored at the previous end; declined
 * → `blocked`. A boundary is attempted once: the actor serialises, `last_renewal_attempted_at`
 * marks the boundary done, and the charge's idempotency key names the period.
 *
 * @module
 */
import { freshBundle } from "./balances.ts";
import { chargeCardOnFile } from "./charge.ts";
import { type Ctx, ownSubscription, requireSubscription } from "./context.ts";
import { armRenewalTimers } from "./timers.ts";
import { emitSubscriptionEvent, fire } from "./machine.ts";
import type { MessageOf } from "./messages.ts";
import { discounted } from "./money.ts";
import { nextPeriod, PERIOD_MS } from "./period.ts";
import type { SubscriptionRow } from "./rows.ts";
import { assertRenewable } from "./policies.ts";
import type { Price, SubscriptionPorts } from "./ports.ts";

/** The automatic renewal of one boundary; a stale or repeated boundary is a no-op. */
export async function renewalDue(ctx: Ctx, m: MessageOf<"renewal_due">): Promise<void> {
  const { turn } = ctx;
  const sub = await ownSubscription(turn);
  const boundary = new Date(m.boundary);
  if (
    !sub || (sub.state !== "active" && sub.state !== "blocked") ||
    sub.next_renewal_at?.getTime() !== boundary.getTime() ||
    (sub.last_renewal_attempted_at && sub.last_renewal_attempted_at >= boundary)
  ) return;
  // The timer fired on the database's clock; this process's may trail it by a moment.
  const at = new Date(Math.max(turn.now().getTime(), boundary.getTime()));
  await turn.sql`
    update subscription.subscription set last_renewal_attempted_at = ${at}
    where id = ${sub.id}`;
  await renew(ctx, sub, `renewal:${sub.id}:${m.boundary}`, at);
}

/** A renewal asked for by the customer or an operator. */
export async function renewNow(ctx: Ctx): Promise<void> {
  const sub = await requireSubscription(ctx.turn);
  assertRenewable(sub);
  // one manual renewal = one request message, retried turns included
  await renew(ctx, sub, `renewal:${sub.id}:manual:${ctx.turn.messageId}`, ctx.turn.now());
}

/** What a renewal charges for and switches to. */
interface Target {
  offeringId: string;
  price: Price;
  pivot: boolean;
}

/** The plan the next period is on: a due pending change, else the stored snapshot. */
async function targetOf(
  ports: SubscriptionPorts,
  sub: SubscriptionRow,
  now: Date,
): Promise<Target> {
  if (
    sub.pending_offering_id && sub.pending_offering_price_id && sub.pending_effective_at &&
    sub.pending_effective_at <= now
  ) {
    const price = await ports.priceById(sub.pending_offering_price_id);
    if (price) return { offeringId: sub.pending_offering_id, price, pivot: true };
  }
  return {
    offeringId: sub.offering_id,
    price: {
      id: sub.price_offering_price_id,
      amount: sub.price_amount,
      currency: sub.price_currency,
    },
    pivot: false,
  };
}

/** Charges the period that starts at `now` (or at its anchor) and applies the outcome. */
async function renew(
  { turn, ports }: Ctx,
  sub: SubscriptionRow,
  idempotencyKey: string,
  now: Date,
) {
  const target = await targetOf(ports, sub, now);
  const discount = !target.pivot && sub.discount_periods_remaining !== 0;
  const amount = discount
    ? discounted(target.price.amount, { type: sub.discount_type, value: sub.discount_value })
    : target.price.amount;
  const { attempt, paymentMethodId: methodId } = await chargeCardOnFile(ports, {
    customerId: sub.customer_id,
    amount,
    currency: target.price.currency,
    purpose: "renewal",
    idempotencyKey,
    noCardRule: "subscription.renew.no_payment_method",
  });
  if (attempt.status !== "approved") {
    return await declined(turn, sub, target, attempt.id, now);
  }
  const allowances = await ports.offeringAllowances(target.offeringId) ?? [];
  const period = nextPeriod(sub.current_period_end, now);
  await freshBundle(turn.sql, sub.id, allowances, period);
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
      next_renewal_at = ${period.end}, payment_method_id = ${methodId}, ${planTerms}
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
    discountApplied: discount,
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
  target: Target,
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
