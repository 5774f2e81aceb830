/**
 * Subscription create (docs/flows.md §1.6, 01 §6.3): idempotent per commercial order; checks the
 * customer and the reserved line, charges the first period with a key stable per order, and
 * only on approval writes the subscription, its bundle and `subscription.activated`. A decline
 * leaves nothing behind: no row, and the line goes back to the pool.
 *
 * @module
 */
import { PolicyViolation } from "../../kernel/errors.ts";
import { firstPeriod } from "./period.ts";
import { freshBundle } from "./balances.ts";
import type { Ctx } from "./context.ts";
import { armRenewalTimers } from "./timers.ts";
import { emitSubscriptionEvent, fire } from "./machine.ts";
import type { MessageOf } from "./messages.ts";
import { discounted, periodsAfterActivation } from "./money.ts";
import { findByCommercialOrder, findSubscription } from "./rows.ts";
import {
  activePrice,
  bindLine,
  charge,
  customerStatus,
  esimProfile,
  msisdnStatus,
  offeringAllowances,
  unreserveLine,
  type Upstream,
} from "./upstream.ts";

type Create = MessageOf<"create">;

/** Creates and activates the subscription `turn.key`; replies its id (an existing one on repeat). */
export async function createSubscription({ turn, up }: Ctx, m: Create): Promise<string> {
  if (m.commercialOrderId) {
    // a concurrent create of the same order waits here, then finds this one's subscription
    const lock = `subscription-order:${m.commercialOrderId}`;
    await turn.sql`select pg_advisory_xact_lock(hashtext(${lock}))`;
    const existing = await findByCommercialOrder(turn.sql, m.commercialOrderId);
    if (existing) return existing.id;
  }
  if (await findSubscription(turn.sql, turn.key)) return turn.key;
  // The checks' reads and the catalog's are independent: one round of calls, not four.
  const [, allowances] = await Promise.all([
    checkCustomerAndLine(up, m),
    offeringAllowances(up, m.offeringId),
  ]);
  const snapshot = m.priceSnapshot ?? await listPriceSnapshot(up, m.offeringId);
  if (!allowances) {
    throw new PolicyViolation(
      "subscription.create.requires_active_price",
      `offering ${m.offeringId} is not in the catalog`,
      { offering_id: m.offeringId },
    );
  }
  const discount = { type: snapshot.discountType ?? null, value: snapshot.discountValue ?? null };
  const attempt = await charge(up, {
    customerId: m.customerId,
    paymentMethodId: m.paymentMethodId,
    amount: discounted(snapshot.priceAmount, discount),
    currency: snapshot.priceCurrency,
    purpose: "activation",
    idempotencyKey: `activation:${m.commercialOrderId ?? turn.key}`,
  });
  if (attempt.status !== "approved") {
    await unreserveLine(up, m.msisdn, m.iccid);
    throw new PolicyViolation(
      "subscription.create.requires_payment_success",
      `the activation charge was ${attempt.status}`,
      {
        paymentAttemptId: attempt.id,
        paymentStatus: attempt.status,
        declineCode: attempt.declineCode,
        declineReason: attempt.declineReason,
      },
    );
  }
  const now = turn.now();
  const period = firstPeriod(now);
  await turn.sql`
    insert into subscription.subscription (id, customer_id, offering_id, commercial_order_id,
      msisdn, iccid, cfs_service_id, state, payment_method_id, price_amount, price_currency,
      price_offering_price_id, discount_type, discount_value, discount_periods_remaining,
      promo_code, promo_offer_definition_id, activated_at, current_period_start,
      current_period_end, next_renewal_at)
    values (${turn.key}, ${m.customerId}, ${m.offeringId}, ${m.commercialOrderId ?? null},
      ${m.msisdn}, ${m.iccid}, ${m.cfsServiceId ?? null}, 'pending', ${m.paymentMethodId},
      ${snapshot.priceAmount}, ${snapshot.priceCurrency}, ${snapshot.priceOfferingPriceId},
      ${discount.type}, ${discount.value},
      ${periodsAfterActivation(snapshot.discountPeriodsTotal)}, ${snapshot.promoCode ?? null},
      ${snapshot.promoOfferDefinitionId ?? null}, ${now}, ${period.start}, ${period.end},
      ${period.end})`;
  await freshBundle(turn.sql, turn.key, allowances, period);
  await fire(turn, { id: turn.key, state: "pending" }, "activate", "activation_payment_approved");
  const activationCode = await bindLine(up, {
    msisdn: m.msisdn,
    iccid: m.iccid,
    subscriptionId: turn.key,
  });
  await turn.sql`
    update subscription.subscription set activation_code = ${activationCode}
    where id = ${turn.key}`;
  armRenewalTimers(turn, period.end);
  emitSubscriptionEvent(turn, "subscription.activated", {
    subscriptionId: turn.key,
    customerId: m.customerId,
    offeringId: m.offeringId,
    msisdn: m.msisdn,
    iccid: m.iccid,
    paymentAttemptId: attempt.id,
    periodStart: period.start.toISOString(),
    periodEnd: period.end.toISOString(),
    amountCharged: attempt.amount,
    promoCode: snapshot.promoCode ?? null,
  });
  return turn.key;
}

/** The customer must be active or pending, the MSISDN and eSIM reserved (or assigned). */
async function checkCustomerAndLine(up: Upstream, m: Create): Promise<void> {
  // Read together, checked in this order (the first broken rule is the one reported).
  const [status, numberStatus, esim] = await Promise.all([
    customerStatus(up, m.customerId),
    msisdnStatus(up, m.msisdn),
    esimProfile(up, m.iccid),
  ]);
  if (status !== "active" && status !== "pending") {
    throw new PolicyViolation(
      "subscription.create.requires_customer",
      status ? `customer ${m.customerId} is ${status}` : `customer ${m.customerId} not found`,
      { customer_id: m.customerId, status },
    );
  }
  if (numberStatus !== "reserved" && numberStatus !== "assigned") {
    throw new PolicyViolation(
      "subscription.create.msisdn_and_esim_reserved",
      `MSISDN ${m.msisdn} is ${numberStatus ?? "not in the pool"}`,
      { msisdn: m.msisdn, status: numberStatus },
    );
  }
  if (!esim || !["reserved", "downloaded"].includes(esim.profile_state)) {
    throw new PolicyViolation(
      "subscription.create.msisdn_and_esim_reserved",
      `eSIM ${m.iccid} is ${esim?.profile_state ?? "unknown"}`,
      { iccid: m.iccid, status: esim?.profile_state ?? null },
    );
  }
}

/** Without a snapshot: the offering's active recurring price, undiscounted. */
async function listPriceSnapshot(up: Upstream, offeringId: string) {
  const price = await activePrice(up, offeringId);
  if (!price) {
    throw new PolicyViolation(
      "subscription.create.requires_active_price",
      `offering ${offeringId} has no active price`,
      { offering_id: offeringId },
    );
  }
  return {
    priceAmount: price.amount,
    priceCurrency: price.currency,
    priceOfferingPriceId: price.id,
    discountType: null,
    discountValue: null,
    discountPeriodsTotal: 0,
    promoCode: null,
    promoOfferDefinitionId: null,
  };
}
