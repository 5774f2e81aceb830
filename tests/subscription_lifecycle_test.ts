/**
 * Plan change, price migration and termination (docs/flows.md §3.3, §4; 01 §4.6, §6.6): a change
 * waits for the next renewal and pivots there; it can be cancelled; an operator's price
 * migration applies at the first renewal after its notice; termination frees the line.
 */
import assert from "node:assert/strict";
import { getEsimRoute } from "../http/inventory/esim.ts";
import { getMsisdnRoute } from "../http/inventory/msisdn.ts";
import {
  cancelPlanChange,
  getSubscription,
  getSubscriptionByMsisdn,
  migratePrice,
  renewSubscription,
  schedulePlanChange,
  terminateSubscription,
  tickRenewals,
} from "../http/subscription/routes.ts";
import { activeSubscriptionCount, liveSubscriptionCount } from "../http/subscription/index.ts";
import { clock } from "../kernel/clock.ts";
import { reply } from "./support/http.ts";
import { activeSubscription, startWorld } from "./support/subscriptions.ts";

const world = await startWorld("subscription_lifecycle");
const api = world.client();
const SUBS = "/subscription-api/v1/subscription";

const post = async (path: string, json?: unknown) =>
  await reply(await world.subscription.request(path, { method: "POST", json }));
const get = (id: string) => api.call(getSubscription, { params: { id } });
const payloads = async (id: string, type: string) =>
  (await world.db.sql`
    select payload from audit.domain_event where aggregate_id = ${id} and event_type = ${type}
    order by id`).map((r) => r.payload);

/** How many BSS-clock timers a line's actor has waiting. */
const timersOf = async (id: string) =>
  (await world.db.sql`
    select 1 from actor.mailbox where kind = 'subscription' and key = ${id}
      and deliver_at is not null`).length;

/** Moves a line's boundary to now, so the next sweep renews it. */
const dueNow = (id: string) =>
  world.db.sql`
    update subscription.subscription set next_renewal_at = kernel.bss_now(),
      current_period_end = kernel.bss_now()
    where id = ${id}`;

Deno.test("a plan change waits for the renewal, then pivots offering, price and bundle", async () => {
  const sub = await activeSubscription(world);
  const scheduled = await api.call(schedulePlanChange, {
    params: { id: sub.id },
    body: { newOfferingId: "PLAN_M" },
  });
  assert.equal(scheduled.offeringId, "PLAN_S");
  assert.equal(scheduled.pendingOfferingId, "PLAN_M");
  assert.equal(scheduled.pendingOfferingPriceId, "PRICE_PLAN_M");
  assert.equal(scheduled.pendingEffectiveAt, scheduled.nextRenewalAt);
  const [event] = await payloads(sub.id, "subscription.plan_change_scheduled");
  assert.equal(event.newPriceAmount, "25.00");
  await dueNow(sub.id);
  await world.db.sql`
    update subscription.subscription set pending_effective_at = kernel.bss_now()
    where id = ${sub.id}`;
  await api.call(tickRenewals);
  const pivoted = await get(sub.id);
  assert.equal(pivoted.offeringId, "PLAN_M");
  assert.equal(pivoted.priceAmount, "25.00");
  assert.equal(pivoted.priceOfferingPriceId, "PRICE_PLAN_M");
  assert.equal(pivoted.pendingOfferingId, null);
  const data = pivoted.balances.find((b) => b.allowanceType === "data")!;
  const voice = pivoted.balances.find((b) => b.allowanceType === "voice")!;
  assert.equal(data.total, 30720);
  assert.equal(voice.remaining, -1);
  const [changed] = await payloads(sub.id, "subscription.plan_changed");
  assert.deepEqual([changed.previousOfferingId, changed.newOfferingId], ["PLAN_S", "PLAN_M"]);
  const [renewed] = await payloads(sub.id, "subscription.renewed");
  assert.equal(renewed.amountCharged, "25.00");
});

Deno.test("renewing early keeps a pending change, due at the new boundary", async () => {
  const sub = await activeSubscription(world);
  await api.call(schedulePlanChange, { params: { id: sub.id }, body: { newOfferingId: "PLAN_M" } });
  const renewed = await api.call(renewSubscription, { params: { id: sub.id } });
  assert.equal(renewed.offeringId, "PLAN_S", "not due yet: the early renewal is on the old plan");
  assert.equal(renewed.pendingOfferingId, "PLAN_M");
  assert.notEqual(renewed.nextRenewalAt, sub.nextRenewalAt);
  assert.equal(renewed.pendingEffectiveAt, renewed.nextRenewalAt, "no stale effective date");
});

Deno.test("a scheduled change can be cancelled (and cancelling nothing is a no-op)", async () => {
  const sub = await activeSubscription(world);
  await api.call(schedulePlanChange, { params: { id: sub.id }, body: { newOfferingId: "PLAN_L" } });
  const cancelled = await api.call(cancelPlanChange, { params: { id: sub.id } });
  assert.equal(cancelled.pendingOfferingId, null);
  assert.equal(cancelled.pendingEffectiveAt, null);
  await api.call(cancelPlanChange, { params: { id: sub.id } });
  const events = await payloads(sub.id, "subscription.plan_change_cancelled");
  assert.equal(events.length, 1);
  assert.equal(events[0].previousPending.offeringId, "PLAN_L");
  await dueNow(sub.id);
  await api.call(tickRenewals);
  assert.equal((await get(sub.id)).offeringId, "PLAN_S");
});

Deno.test("plan change rules", async () => {
  const sub = await activeSubscription(world);
  const change = (id: string, newOfferingId: string) =>
    post(`${SUBS}/${id}/schedule-plan-change`, { newOfferingId });
  let r = await change(sub.id, "PLAN_S");
  assert.equal(r.body.rule, "subscription.plan_change.same_offering");
  assert.deepEqual(r.body.context, { current_offering_id: "PLAN_S", new_offering_id: "PLAN_S" });
  r = await change(sub.id, "PLAN_NOPE");
  assert.equal(r.body.rule, "subscription.plan_change.target_not_sellable_now");
  await api.call(schedulePlanChange, { params: { id: sub.id }, body: { newOfferingId: "PLAN_M" } });
  r = await change(sub.id, "PLAN_L");
  assert.equal(r.body.rule, "subscription.plan_change.already_pending");
  assert.equal(r.body.context.pending_offering_id, "PLAN_M");
  r = await change("SUB-9999", "PLAN_L");
  assert.equal(r.status, 404);
  r = await post(`${SUBS}/${sub.id}/schedule-plan-change`, {});
  assert.equal(r.body.code, "VALIDATION_ERROR");
  await api.call(terminateSubscription, { params: { id: sub.id } });
  r = await change(sub.id, "PLAN_L");
  assert.equal(r.body.rule, "subscription.plan_change.not_eligible_state");
  assert.equal(r.body.context.state, "terminated");
});

Deno.test("a price migration applies at the first renewal after its notice", async () => {
  await world.db.sql`
    insert into catalog.product_offering_price
      (id, offering_id, price_type, recurring_period_length, recurring_period_type, amount,
       currency)
    values ('PRICE_PLAN_S_V2', 'PLAN_S', 'recurring', 1, 'month', 12.00, 'SGD')`;
  const sub = await activeSubscription(world);
  const result = await api.call(migratePrice, {
    body: {
      offeringId: "PLAN_S",
      newPriceId: "PRICE_PLAN_S_V2",
      effectiveFrom: clock.now().toISOString(),
      noticeDays: 0,
      initiatedBy: "ops",
    },
  });
  assert.ok(result.subscriptionIds.includes(sub.id));
  assert.equal(result.count, result.subscriptionIds.length);
  const pending = await get(sub.id);
  assert.equal(pending.pendingOfferingId, "PLAN_S");
  assert.equal(pending.pendingOfferingPriceId, "PRICE_PLAN_S_V2");
  const [notice] = await world.db.sql`
    select payload from audit.domain_event where event_type = 'notification.requested'
      and payload->'templateArgs'->>'subscriptionId' = ${sub.id}`;
  assert.equal(notice.payload.template, "price_migration_notice");
  assert.equal(notice.payload.templateArgs.newAmount, "12.00");
  await dueNow(sub.id);
  await api.call(tickRenewals);
  const migrated = await get(sub.id);
  assert.equal(migrated.priceAmount, "12.00");
  assert.equal(migrated.pendingOfferingPriceId, null);
  assert.equal((await payloads(sub.id, "subscription.price_migrated")).length, 1);
  let r = await post("/subscription-api/v1/admin/subscription/migrate-price", {
    offeringId: "PLAN_S",
    newPriceId: "PRICE_NOPE",
    effectiveFrom: clock.now().toISOString(),
    initiatedBy: "ops",
  });
  assert.equal(r.body.rule, "subscription.migrate_price.unknown_price");
  r = await post("/subscription-api/v1/admin/subscription/migrate-price", {
    offeringId: "PLAN_S",
    newPriceId: "PRICE_PLAN_M",
    effectiveFrom: clock.now().toISOString(),
    initiatedBy: "ops",
  });
  assert.equal(r.body.rule, "subscription.migrate_price.price_not_on_offering");
  assert.equal(r.body.context.offering_id, "PLAN_S");
});

Deno.test("termination frees the line: MSISDN to quarantine, eSIM recycled", async () => {
  const sub = await activeSubscription(world);
  assert.equal(await timersOf(sub.id), 2, "an active line has its renewal and reminder timers");
  const done = await api.call(terminateSubscription, {
    params: { id: sub.id },
    body: { reason: "csr_initiated" },
  });
  assert.equal(done.state, "terminated");
  assert.equal(done.stateReason, "csr_initiated");
  assert.ok(done.terminatedAt);
  const crm = world.crm.client();
  const number = await crm.call(getMsisdnRoute, { params: { msisdn: sub.msisdn } });
  assert.equal(number.status, "quarantine");
  const esim = await crm.call(getEsimRoute, { params: { iccid: sub.iccid } });
  assert.equal(esim.profile_state, "recycled");
  const [event] = await payloads(sub.id, "subscription.terminated");
  assert.equal(event.reason, "csr_initiated");
  assert.equal(await timersOf(sub.id), 0, "no renewal or reminder timer left on a terminated line");
  // lookups by MSISDN ignore terminated lines
  const r = await reply(await world.subscription.request(`${SUBS}/by-msisdn/${sub.msisdn}`));
  assert.equal(r.status, 404);
  await assert.rejects(api.call(getSubscriptionByMsisdn, { params: { msisdn: sub.msisdn } }));
  const again = await post(`${SUBS}/${sub.id}/terminate`);
  assert.equal(again.body.rule, "subscription.terminate.invalid_state");
  assert.equal(again.body.context.state, "terminated");
});

Deno.test("a port-out termination keeps the number (releaseInventory false)", async () => {
  const sub = await activeSubscription(world);
  await api.call(terminateSubscription, {
    params: { id: sub.id },
    body: { reason: "ported_out", releaseInventory: false },
  });
  const number = await world.crm.client().call(getMsisdnRoute, {
    params: { msisdn: sub.msisdn },
  });
  assert.equal(number.status, "assigned");
});

Deno.test("state history records every move with its reason", async () => {
  const sub = await activeSubscription(world);
  await api.call(terminateSubscription, { params: { id: sub.id } });
  const rows = await world.db.sql`
    select from_state, to_state, reason from subscription.subscription_state_history
    where subscription_id = ${sub.id} order by id`;
  assert.deepEqual(rows.map((r) => [r.from_state, r.to_state, r.reason]), [
    ["pending", "active", "activation_payment_approved"],
    ["active", "terminated", "customer_requested"],
  ]);
});

Deno.test("live and active counts for CRM and payment", async () => {
  const sub = await activeSubscription(world);
  assert.equal(await liveSubscriptionCount(world.db.sql, sub.customerId), 1);
  assert.equal(await activeSubscriptionCount(world.db.sql, sub.customerId), 1);
  await api.call(terminateSubscription, { params: { id: sub.id } });
  assert.equal(await liveSubscriptionCount(world.db.sql, sub.customerId), 0);
  assert.equal(await activeSubscriptionCount(world.db.sql, sub.customerId), 0);
});

// Last: it takes PLAN_L's price away for the rest of this file.
Deno.test("a plan change needs the target's active price", async () => {
  const sub = await activeSubscription(world);
  await world.db.sql`
    update catalog.product_offering_price set valid_to = kernel.bss_now() - interval '1 day',
      valid_from = kernel.bss_now() - interval '2 days'
    where offering_id = 'PLAN_L'`;
  const r = await post(`${SUBS}/${sub.id}/schedule-plan-change`, { newOfferingId: "PLAN_L" });
  assert.equal(r.body.rule, "subscription.plan_change.target_no_active_price");
  assert.equal(r.body.context.new_offering_id, "PLAN_L");
});

Deno.test({ name: "stop the world", fn: () => world.stop() });
