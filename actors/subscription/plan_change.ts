/**
 * Plan changes and price migrations (docs/flows.md §3.3, 01 §6.6): both only set the pending
 * offering and price; the switch (and its charge) happens at a renewal (no proration). The
 * target's catalog facts come with the message, read by the endpoint before it asks.
 *
 * @module
 */
import { type Ctx, ownSubscription, requireSubscription } from "./context.ts";
import { emitSubscriptionEvent } from "./machine.ts";
import type { MessageOf, PlanTarget } from "./messages.ts";
import type { SubscriptionPorts } from "./ports.ts";
import { assertPlanChangeAllowed, requirePlanTarget } from "./policies.ts";

/**
 * The catalog's facts on a plan change's target, read before the turn is asked (a turn never
 * waits on another service): on sale at `at`, and its active price.
 */
export async function planTargetFacts(
  ports: SubscriptionPorts,
  newOfferingId: string,
  at: Date,
): Promise<PlanTarget> {
  const sellable = await ports.sellableAt(newOfferingId, at);
  return { sellable, price: sellable ? await ports.activePrice(newOfferingId) : null };
}

/** Schedules a switch to another offering at the next renewal. */
export async function schedulePlanChange(
  { turn }: Ctx,
  m: MessageOf<"schedule_plan_change">,
): Promise<void> {
  const sub = await requireSubscription(turn);
  assertPlanChangeAllowed(sub, m.newOfferingId);
  const price = requirePlanTarget(m.newOfferingId, m.target.sellable, m.target.price);
  await turn.sql`
    update subscription.subscription set pending_offering_id = ${m.newOfferingId},
      pending_offering_price_id = ${price.id}, pending_effective_at = next_renewal_at,
      updated_at = now()
    where id = ${sub.id}`;
  emitSubscriptionEvent(turn, "subscription.plan_change_scheduled", {
    subscriptionId: sub.id,
    currentOfferingId: sub.offering_id,
    newOfferingId: m.newOfferingId,
    newPriceAmount: price.amount,
    newPriceCurrency: price.currency,
    effectiveAt: sub.next_renewal_at?.toISOString() ?? null,
  });
}

/** Drops a scheduled change; nothing to drop is a no-op. */
export async function cancelPlanChange({ turn }: Ctx): Promise<void> {
  const sub = await requireSubscription(turn);
  if (!sub.pending_offering_id) return;
  await turn.sql`
    update subscription.subscription set pending_offering_id = null,
      pending_offering_price_id = null, pending_effective_at = null, updated_at = now()
    where id = ${sub.id}`;
  emitSubscriptionEvent(turn, "subscription.plan_change_cancelled", {
    subscriptionId: sub.id,
    previousPending: {
      offeringId: sub.pending_offering_id,
      offeringPriceId: sub.pending_offering_price_id,
      effectiveAt: sub.pending_effective_at?.toISOString() ?? null,
    },
  });
}

/**
 * An operator's price migration reaching one line: the same offering at the new price from
 * the first renewal on or after `effectiveAt` (overwriting a scheduled plan change), and a
 * notice to the customer.
 */
export async function schedulePriceMigration(
  { turn }: Ctx,
  m: MessageOf<"price_migration">,
): Promise<boolean> {
  const sub = await ownSubscription(turn);
  if (!sub || (sub.state !== "active" && sub.state !== "blocked")) return false;
  await turn.sql`
    update subscription.subscription set pending_offering_id = offering_id,
      pending_offering_price_id = ${m.newPriceId}, pending_effective_at = ${m.effectiveAt},
      updated_at = now()
    where id = ${sub.id}`;
  emitSubscriptionEvent(turn, "subscription.price_migration_scheduled", {
    subscriptionId: sub.id,
    offeringId: sub.offering_id,
    oldAmount: sub.price_amount,
    newAmount: m.newAmount,
    newCurrency: m.newCurrency,
    effectiveAt: m.effectiveAt,
    initiatedBy: m.initiatedBy,
  });
  emitSubscriptionEvent(turn, "notification.requested", {
    customerId: sub.customer_id,
    channel: "email",
    template: "price_migration_notice",
    templateArgs: {
      subscriptionId: sub.id,
      offeringId: sub.offering_id,
      oldAmount: sub.price_amount,
      newAmount: m.newAmount,
      currency: m.newCurrency,
      effectiveAt: m.effectiveAt,
    },
  });
  return true;
}
