/**
 * Subscription create (docs/flows.md §1.6, 01 §6.3) as a saga whose turns never wait on another
 * service. The subscription id is fixed (the actor's key) before anything is charged or
 * bound:
 *
 * 1. `create` records the activation and stages the `subscription.activate` effect
 *    (`activation_effects.ts`: check, charge, bind — each keyed on the order) in the same
 *    transaction; idempotent per commercial order and per subscription id.
 * 2. `activation_outcome` (the runner's report) writes the subscription, its bundle, timers
 *    and `subscription.activated` on success; on a refusal it records the rule and the
 *    compensations the effect made (refund, line returned) as `subscription.activation_failed`
 *    and `subscription.activation_compensated`. A failure past the runner's retries stages the
 *    undo (`subscription.compensate_activation`) and refuses. Either way the requester named
 *    in `notify` is told `subscription_activated` or `subscription_refused`.
 *
 * A decline leaves no subscription row and the line back in the pool.
 *
 * @module
 */
import { startNow } from "../../kernel/db/types.ts";
import { currentTraceparent } from "../../kernel/events.ts";
import { log } from "../../kernel/log.ts";
import type { EffectOutcome } from "../effects/effect.ts";
import { stageEffect } from "../effects/effect.ts";
import type { Turn } from "../runtime/types.ts";
import { Activated, ActivationRequest, compensationInput } from "./activation_effects.ts";
import { activationChargeKey } from "./activation_effects.ts";
import { activationOfOrder, type ActivationRow, findActivation } from "./activation_rows.ts";
import { freshBundle } from "./balances.ts";
import type { Ctx } from "./context.ts";
import { emitSubscriptionEvent, fire } from "./machine.ts";
import type { MessageOf } from "./messages.ts";
import { periodsAfterActivation } from "./money.ts";
import { firstPeriod } from "./period.ts";
import { findSubscription } from "./rows.ts";
import { armRenewalTimers } from "./timers.ts";

type Create = MessageOf<"create">;

/** Where a create stands: the subscription id it settles on and the saga's state. */
export interface CreateReply {
  id: string;
  state: ActivationRow["state"];
}

/** Starts the activation of `turn.key` (or answers the one already under way). */
export async function createSubscription({ turn }: Ctx, m: Create): Promise<CreateReply> {
  // One round trip: a concurrent create of the same order under another id waits on the lock
  // (the reads behind it on the connection run once it is held), then finds this one.
  const [, existing, own, legacy] = await Promise.all([
    m.commercialOrderId &&
    startNow(turn.sql`
      select pg_advisory_xact_lock(hashtext(${`subscription-order:${m.commercialOrderId}`}))`),
    m.commercialOrderId && activationOfOrder(turn.sql, m.commercialOrderId),
    findActivation(turn.sql, turn.key),
    // Subscriptions made before the saga existed have no activation row.
    findSubscription(turn.sql, turn.key),
  ]);
  if (existing) return { id: existing.subscription_id, state: existing.state };
  if (own) return { id: turn.key, state: own.state };
  if (legacy) return { id: turn.key, state: "activated" };
  const { type: _, notify, ...request } = m;
  const input: ActivationRequest = { ...request, subscriptionId: turn.key };
  await Promise.all([
    startNow(turn.sql`
      insert into subscription.activation (subscription_id, commercial_order_id, request,
        notify_kind, notify_key)
      values (${turn.key}, ${m.commercialOrderId ?? null}, ${JSON.stringify(input)}::text::jsonb,
        ${notify?.kind ?? null}, ${notify?.key ?? null})`),
    stageEffect(turn, {
      type: "subscription.activate",
      key: activationChargeKey(input),
      input,
      replyType: "activation_outcome",
    }),
  ]);
  return { id: turn.key, state: "running" };
}

/** The activation effect's outcome: activate, or refuse (compensating a failure). */
export async function activationOutcome(
  { turn }: Ctx,
  m: MessageOf<"activation_outcome">,
): Promise<void> {
  const [saga] = await turn.sql<ActivationRow[]>`
    select * from subscription.activation where subscription_id = ${turn.key} for update`;
  if (saga?.state !== "running") {
    log.info("subscription.activation_outcome.ignored", { id: turn.key, state: saga?.state });
    return;
  }
  const request = ActivationRequest.parse(saga.request);
  const outcome = m.outcome;
  if (outcome.ok) return await activate(turn, saga, request, Activated.parse(outcome.value));
  if (outcome.refusal) return await refuse(turn, saga, request, outcome.refusal);
  // Failed past its retries: nothing is known of the charge or the line; undo both.
  await stageEffect(turn, {
    type: "subscription.compensate_activation",
    key: `compensate:${activationChargeKey(request)}`,
    input: compensationInput(request),
    replyType: "compensation_outcome",
  });
  await refuse(turn, saga, request, {
    rule: "subscription.create.activation_failed",
    message: `the activation could not complete: ${outcome.error ?? "unknown error"}`,
    context: {},
  });
}

/** The undo of a failed activation is done (or gave up): recorded either way. */
export function compensationOutcome({ turn }: Ctx, m: MessageOf<"compensation_outcome">): void {
  const done = compensationsOf(m.outcome);
  if (m.outcome.ok) {
    emitSubscriptionEvent(turn, "subscription.activation_compensated", {
      subscriptionId: turn.key,
      compensations: done,
    });
    return;
  }
  log.error("subscription.compensation_failed", { id: turn.key, outcome: m.outcome });
  emitSubscriptionEvent(turn, "subscription.compensation_failed", {
    subscriptionId: turn.key,
    error: m.outcome.error ?? m.outcome.refusal?.message ?? null,
  });
}

function compensationsOf(outcome: EffectOutcome): string[] {
  const value = outcome.ok ? outcome.value : outcome.refusal?.context;
  const list = (value as { compensations?: unknown } | null | undefined)?.compensations;
  return Array.isArray(list) ? list.map(String) : [];
}

async function settle(
  turn: Turn,
  saga: ActivationRow,
  state: "activated" | "refused",
  refusal?: unknown,
) {
  await turn.sql`
    update subscription.activation set state = ${state}, settled_at = now(),
      refusal = ${refusal === undefined ? null : JSON.stringify(refusal)}::text::jsonb
    where subscription_id = ${saga.subscription_id}`;
}

function notify(
  turn: Turn,
  saga: ActivationRow,
  message: Record<string, unknown> & { type: string },
) {
  if (saga.notify_kind && saga.notify_key) turn.tell(saga.notify_kind, saga.notify_key, message);
}

async function activate(
  turn: Turn,
  saga: ActivationRow,
  r: ActivationRequest,
  done: ReturnType<typeof Activated.parse>,
): Promise<void> {
  const s = done.snapshot;
  const discount = { type: s.discountType ?? null, value: s.discountValue ?? null };
  const now = turn.now();
  const period = firstPeriod(now);
  // The writes below need no answer before the next: they go out in one round trip, in the
  // order they are started (the subscription row before the rows that refer to it).
  const inserted = startNow(turn.sql`
    insert into subscription.subscription (id, customer_id, offering_id, commercial_order_id,
      msisdn, iccid, cfs_service_id, state, payment_method_id, price_amount, price_currency,
      price_offering_price_id, discount_type, discount_value, discount_periods_remaining,
      promo_code, promo_offer_definition_id, activated_at, current_period_start,
      current_period_end, next_renewal_at, activation_code, activated_traceparent)
    values (${turn.key}, ${r.customerId}, ${r.offeringId}, ${r.commercialOrderId ?? null},
      ${r.msisdn}, ${r.iccid}, ${r.cfsServiceId ?? null}, 'pending', ${r.paymentMethodId},
      ${s.priceAmount}, ${s.priceCurrency}, ${s.priceOfferingPriceId},
      ${discount.type}, ${discount.value},
      ${periodsAfterActivation(s.discountPeriodsTotal)}, ${s.promoCode ?? null},
      ${s.promoOfferDefinitionId ?? null}, ${now}, ${period.start}, ${period.end},
      ${period.end}, ${done.activationCode}, ${currentTraceparent()})`);
  await Promise.all([
    inserted,
    freshBundle(turn.sql, turn.key, done.allowances, period),
    fire(turn, { id: turn.key, state: "pending" }, "activate", "activation_payment_approved"),
    settle(turn, saga, "activated"),
  ]);
  armRenewalTimers(turn, period.end);
  emitSubscriptionEvent(turn, "subscription.activated", {
    subscriptionId: turn.key,
    customerId: r.customerId,
    offeringId: r.offeringId,
    msisdn: r.msisdn,
    iccid: r.iccid,
    paymentAttemptId: done.paymentAttemptId,
    periodStart: period.start.toISOString(),
    periodEnd: period.end.toISOString(),
    amountCharged: done.amountCharged,
    promoCode: s.promoCode ?? null,
  });
  notify(turn, saga, {
    type: "subscription_activated",
    subscriptionId: turn.key,
    cfsServiceId: r.cfsServiceId ?? null,
    serviceOrderId: r.serviceOrderId ?? null,
  });
}

async function refuse(
  turn: Turn,
  saga: ActivationRow,
  r: ActivationRequest,
  refusal: { rule: string; message: string; context: Record<string, unknown> },
): Promise<void> {
  await settle(turn, saga, "refused", refusal);
  emitSubscriptionEvent(turn, "subscription.activation_failed", {
    subscriptionId: turn.key,
    commercialOrderId: r.commercialOrderId ?? null,
    customerId: r.customerId,
    rule: refusal.rule,
  });
  const compensations = compensationsOf({ ok: false, refusal });
  if (compensations.length) {
    emitSubscriptionEvent(turn, "subscription.activation_compensated", {
      subscriptionId: turn.key,
      commercialOrderId: r.commercialOrderId ?? null,
      compensations,
    });
  }
  notify(turn, saga, {
    type: "subscription_refused",
    subscriptionId: turn.key,
    serviceOrderId: r.serviceOrderId ?? null,
    ...refusal,
  });
}
