/**
 * Renewal (docs/flows.md §3, 01 §6.6, 00): the BSS-clock timer renews at the 30-day boundary
 * exactly once, also when tick-now runs twice at the same time; the new period is anchored
 * at the previous end; a decline blocks the line and the next boundary renews it again.
 */
import assert from "node:assert/strict";
import {
  getSubscription,
  renewSubscription,
  terminateSubscription,
  tickRenewals,
} from "../http/subscription/routes.ts";
import { removePaymentMethod } from "../http/payment/payment_methods.ts";
import { ActorSystem } from "../actors/runtime/system.ts";
import { subscriptionDomain, tickRenewalsNow } from "../http/subscription/index.ts";
import { clock } from "../kernel/clock.ts";
import { waitFor } from "./support/bridge.ts";
import { reply } from "./support/http.ts";
import {
  activeSubscription,
  addCard,
  DECLINING_CARD,
  GOOD_CARD,
  startWorld,
} from "./support/subscriptions.ts";

const world = await startWorld("subscription_renewal");
const api = world.client();
const SUBS = "/subscription-api/v1/subscription";
const DAY = 86400;

const get = (id: string) => api.call(getSubscription, { params: { id } });
const count = async (id: string, type: string) => {
  const [{ n }] = await world.db.sql`
    select count(*)::int as n from audit.domain_event
    where aggregate_id = ${id} and event_type = ${type}`;
  return n;
};
/** Who the renewal events of `id` are attributed to. */
const renewedBy = (id: string) =>
  world.db.sql<{ actor: string; channel: string }[]>`
    select distinct actor, channel from audit.domain_event
    where aggregate_id = ${id} and event_type = 'subscription.renewed'`;
const RENEWAL_WORKER = [{ actor: "system:renewal_worker", channel: "system" }];
const renewalCharges = async (customerId: string) => {
  const [{ n }] = await world.db.sql`
    select count(*)::int as n from payment.payment_attempt
    where customer_id = ${customerId} and purpose = 'renewal'`;
  return n;
};

Deno.test("the boundary timer renews once; tick-now twice at once renews nothing more", async () => {
  const sub = await activeSubscription(world);
  await clock.advance(world.db.sql, 30 * DAY + 60);
  await waitFor(async () => (await count(sub.id, "subscription.renewed")) === 1, "renewal");
  await Promise.all([api.call(tickRenewals), api.call(tickRenewals)]);
  assert.equal(await count(sub.id, "subscription.renewed"), 1);
  assert.equal(await renewalCharges(sub.customerId), 1);
  const renewed = await get(sub.id);
  assert.equal(renewed.state, "active");
  assert.equal(renewed.stateReason, "renewal_payment_approved");
  // the timer acts as the system, not as the caller whose order armed it
  assert.deepEqual([...await renewedBy(sub.id)], RENEWAL_WORKER);
  // anchored at the previous end, not at the moment the timer ran
  assert.equal(renewed.currentPeriodStart, sub.currentPeriodEnd);
  assert.equal(
    Date.parse(renewed.nextRenewalAt!) - Date.parse(sub.currentPeriodEnd!),
    30 * DAY * 1000,
  );
});

Deno.test("tick-now twice concurrently renews a due line exactly once, with a fresh bundle", async () => {
  const sub = await activeSubscription(world);
  await world.db.sql`
    update subscription.bundle_balance set consumed = 100
    where subscription_id = ${sub.id} and allowance_type = 'voice'`;
  // pull the boundary into the past without moving the clock (the sweep finds it first)
  await world.db.sql`
    update subscription.subscription set next_renewal_at = kernel.bss_now() - interval '1 minute',
      current_period_end = kernel.bss_now() - interval '1 minute'
    where id = ${sub.id}`;
  await Promise.all([api.call(tickRenewals), api.call(tickRenewals)]);
  await api.call(tickRenewals);
  assert.equal(await count(sub.id, "subscription.renewed"), 1);
  assert.deepEqual([...await renewedBy(sub.id)], RENEWAL_WORKER, "the sweep acts as the worker");
  assert.equal(await renewalCharges(sub.customerId), 1);
  const voice = (await get(sub.id)).balances.find((b) => b.allowanceType === "voice")!;
  assert.equal(voice.consumed, 0);
  assert.equal(voice.remaining, 100);
});

Deno.test("two actor systems sweeping at once renew a due line exactly once", async () => {
  const other = new ActorSystem(world.db.sql, { pollMs: 50, workers: 2 });
  other.register(subscriptionDomain(() => world.ports).kinds[0]);
  await other.start();
  try {
    const sub = await activeSubscription(world);
    await world.db.sql`
      update subscription.subscription set next_renewal_at = kernel.bss_now(),
        current_period_end = kernel.bss_now()
      where id = ${sub.id}`;
    await Promise.all([
      tickRenewalsNow(world.db.sql, world.system),
      tickRenewalsNow(world.db.sql, other),
      tickRenewalsNow(world.db.sql, other),
    ]);
    assert.equal(await count(sub.id, "subscription.renewed"), 1);
    assert.equal(await renewalCharges(sub.customerId), 1);
  } finally {
    await other.stop();
  }
});

Deno.test("a declined renewal blocks the line; the next boundary renews it", async () => {
  const sub = await activeSubscription(world);
  await addCard(world, sub.customerId, DECLINING_CARD, { makeDefault: true });
  await clock.advance(world.db.sql, 30 * DAY + 60);
  await api.call(tickRenewals);
  await waitFor(async () => (await get(sub.id)).state === "blocked", "blocked");
  const blocked = await get(sub.id);
  assert.equal(blocked.stateReason, "renewal_payment_declined");
  assert.equal(await count(sub.id, "subscription.renew_failed"), 1);
  const [event] = await world.db.sql`
    select payload from audit.domain_event
    where aggregate_id = ${sub.id} and event_type = 'subscription.blocked'`;
  assert.equal(event.payload.reason, "renew_failed");
  // the next automatic attempt is the next boundary, still on the original anchor
  assert.equal(
    Date.parse(blocked.nextRenewalAt!) - Date.parse(sub.currentPeriodEnd!),
    30 * DAY * 1000,
  );
  await addCard(world, sub.customerId, GOOD_CARD, { makeDefault: true });
  await clock.advance(world.db.sql, 30 * DAY);
  await api.call(tickRenewals);
  await waitFor(async () => (await get(sub.id)).state === "active", "renewed from blocked");
  const renewed = await get(sub.id);
  assert.equal(renewed.currentPeriodStart, blocked.nextRenewalAt);
  assert.equal(await count(sub.id, "subscription.renew_failed"), 1);
});

Deno.test("a manual renew of an exhausted line buys a fresh bundle now", async () => {
  const sub = await activeSubscription(world);
  await world.system.ask("subscription", sub.id, {
    type: "usage_rated",
    usageEventId: `UE-X-${sub.id}`,
    allowanceType: "data",
    consumedQuantity: 5120,
  });
  assert.equal((await get(sub.id)).state, "blocked");
  const renewed = await api.call(renewSubscription, { params: { id: sub.id } });
  assert.equal(renewed.state, "active");
  assert.equal(renewed.stateReason, "renewal_payment_approved");
  assert.equal(renewed.balances.find((b) => b.allowanceType === "data")!.remaining, 5120);
  assert.ok(Date.parse(renewed.nextRenewalAt!) > Date.parse(sub.nextRenewalAt!));
});

Deno.test("manual renew of an active line; rules", async () => {
  const sub = await activeSubscription(world);
  const renewed = await api.call(renewSubscription, { params: { id: sub.id } });
  assert.equal(renewed.state, "active");
  assert.equal(await count(sub.id, "subscription.renewed"), 1);
  // no card on file
  const methods = await world.db.sql`
    select id from payment.payment_method where customer_id = ${sub.customerId}`;
  for (const { id } of methods) {
    await world.payment.client().call(removePaymentMethod, { params: { id } });
  }
  let r = await reply(
    await world.subscription.request(`${SUBS}/${sub.id}/renew`, { method: "POST" }),
  );
  assert.equal(r.body.rule, "subscription.renew.no_payment_method");
  assert.equal(r.body.context.customer_id, sub.customerId);
  await api.call(terminateSubscription, { params: { id: sub.id } });
  r = await reply(await world.subscription.request(`${SUBS}/${sub.id}/renew`, { method: "POST" }));
  assert.equal(r.body.rule, "subscription.renew.only_if_active_or_blocked");
  assert.equal(r.body.context.state, "terminated");
  r = await reply(await world.subscription.request(`${SUBS}/SUB-9999/renew`, { method: "POST" }));
  assert.equal(r.status, 404);
});

Deno.test("the renewal reminder goes out once, a day before the boundary", async () => {
  const sub = await activeSubscription(world);
  const reminders = async () => {
    const [{ n }] = await world.db.sql`
      select count(*)::int as n from audit.domain_event
      where event_type = 'notification.requested' and payload->>'customerId' = ${sub.customerId}
        and payload->>'template' = 'renewal_reminder'`;
    return n;
  };
  await clock.advance(world.db.sql, 29 * DAY + 3600);
  await waitFor(async () => (await reminders()) === 1, "reminder");
  await clock.advance(world.db.sql, DAY);
  await waitFor(async () => (await count(sub.id, "subscription.renewed")) === 1, "renewal");
  assert.equal(await reminders(), 1);
});

Deno.test("a promo discounts each renewal until its periods run out", async () => {
  const sub = await activeSubscription(world, {
    offeringId: "PLAN_M",
    priceSnapshot: {
      priceAmount: "25.00",
      priceCurrency: "SGD",
      priceOfferingPriceId: "PRICE_PLAN_M",
      discountType: "percent",
      discountValue: "20",
      discountPeriodsTotal: 2,
    },
  });
  assert.equal(sub.discountPeriodsRemaining, 1);
  let renewed = await api.call(renewSubscription, { params: { id: sub.id } });
  assert.equal(renewed.discountPeriodsRemaining, 0);
  assert.equal(renewed.effectiveAmount, "25.00");
  renewed = await api.call(renewSubscription, { params: { id: sub.id } });
  const charged = await world.db.sql`
    select payload->>'amountCharged' as amount from audit.domain_event
    where aggregate_id = ${sub.id} and event_type = 'subscription.renewed' order by id`;
  assert.deepEqual(charged.map((r) => r.amount), ["20.00", "25.00"]);
  assert.equal(renewed.state, "active");
});

Deno.test("tick-now is gated by BSS_ALLOW_ADMIN_RESET", async () => {
  const closed = world.serveSubscription({});
  try {
    const r = await reply(
      await closed.request("/admin-api/v1/renewal/tick-now", { method: "POST" }),
    );
    assert.equal(r.status, 403);
    assert.equal(r.body.code, "ADMIN_RENEWAL_DISABLED");
  } finally {
    await closed.stop();
  }
});

Deno.test({ name: "stop the world", fn: () => world.stop() });
