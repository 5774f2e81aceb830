/**
 * Renewal and VAS charges run after the subscription's turn (`actors/subscription/
 * charge_effects.ts`): a runner killed between the charge and its report is resumed with the
 * same key (one charge, applied once); while payment is down the actor keeps answering (its
 * turns never wait on the charge); a charge approved for a line terminated meanwhile is
 * refunded, as an event; a timer renewal refused (no card) leaves its boundary to be tried again.
 */
import assert from "node:assert/strict";
import type { EffectRow } from "../actors/effects/effect.ts";
import { removePaymentMethod } from "../http/payment/payment_methods.ts";
import {
  getSubscription,
  purchaseVas,
  renewSubscription,
  tickRenewals,
} from "../http/subscription/routes.ts";
import { waitFor } from "./support/bridge.ts";
import { reply } from "./support/http.ts";
import { activeSubscription, addCard, GOOD_CARD, startWorld } from "./support/subscriptions.ts";

const world = await startWorld("subscription_charges");
const api = world.client();
const { sql } = world.db;
const SUBS = "/subscription-api/v1/subscription";

const chargesOf = (customerId: string, purpose: string) =>
  sql<{ status: string; idempotency_key: string }[]>`
    select status, idempotency_key from payment.payment_attempt
    where customer_id = ${customerId} and purpose = ${purpose} order by id`;
const eventCount = async (id: string, type: string) => {
  const [{ n }] = await sql`
    select count(*)::int as n from audit.domain_event
    where aggregate_id = ${id} and event_type = ${type}`;
  return n;
};
const effectOf = async (key: string) => {
  const [row] = await sql`
    select attempts, state from effect.effect where idempotency_key = ${key}`;
  return { ...row };
};

/** A runner that dies after the first charge of `type`, before its report. */
function killedOnceAfter(type: string) {
  let runs = 0;
  return {
    /** Charges of `type` that reached their report (the first one died there). */
    runs: () => runs,
    beforeReport: (row: EffectRow) =>
      row.type === type && runs++ === 0 ? Promise.reject(new Error("killed")) : Promise.resolve(),
  };
}

Deno.test("a runner killed after the VAS charge: resumed with the same key, charged and applied once", async () => {
  const sub = await activeSubscription(world);
  const crash = killedOnceAfter("subscription.charge_vas");
  await world.runEffects(undefined, { leaseMs: 300, beforeReport: crash.beforeReport });
  try {
    const bought = await api.call(purchaseVas, {
      params: { id: sub.id },
      body: { vasOfferingId: "VAS_DATA_1GB" },
    });
    assert.equal(crash.runs(), 2, "killed once, resumed once");
    const charges = await chargesOf(sub.customerId, "vas");
    assert.equal(charges.length, 1);
    assert.equal(charges[0].status, "approved");
    assert.deepEqual(await effectOf(charges[0].idempotency_key), { attempts: 2, state: "done" });
    assert.equal(await eventCount(sub.id, "subscription.vas_purchased"), 1);
    const before = sub.balances.find((b) => b.allowanceType === "data")!.remaining;
    const after = bought.balances.find((b) => b.allowanceType === "data")!.remaining;
    assert.equal(after - before, 1024);
  } finally {
    await world.runEffects();
  }
});

Deno.test("a runner killed after the renewal charge: one charge, one renewal", async () => {
  const sub = await activeSubscription(world);
  const crash = killedOnceAfter("subscription.charge_renewal");
  await world.runEffects(undefined, { leaseMs: 300, beforeReport: crash.beforeReport });
  try {
    const renewed = await api.call(renewSubscription, { params: { id: sub.id } });
    assert.equal(crash.runs(), 2, "killed once, resumed once");
    assert.equal(renewed.stateReason, "renewal_payment_approved");
    assert.ok(Date.parse(renewed.nextRenewalAt!) > Date.parse(sub.nextRenewalAt!));
    const charges = await chargesOf(sub.customerId, "renewal");
    assert.deepEqual(charges.map((c) => c.status), ["approved"]);
    assert.deepEqual(await effectOf(charges[0].idempotency_key), { attempts: 2, state: "done" });
    assert.equal(await eventCount(sub.id, "subscription.renewed"), 1);
  } finally {
    await world.runEffects();
  }
});

Deno.test("while payment is down a renewal waits outside the turn: the line still answers, then renews", async () => {
  const sub = await activeSubscription(world);
  let down = true;
  await world.runEffects({
    ...world.ports,
    charge: (request) =>
      down ? Promise.reject(new Error("payment unreachable")) : world.ports.charge(request),
  });
  try {
    const renewing = api.call(renewSubscription, { params: { id: sub.id } });
    await waitFor(async () => {
      const [row] = await sql`
        select attempts from effect.effect
        where type = 'subscription.charge_renewal' and input->>'customerId' = ${sub.customerId}`;
      return (row?.attempts ?? 0) >= 2;
    }, "the charge retried");
    // the actor is not held by the charge: another write on the line goes through now
    const cancelled = await reply(
      await world.subscription.request(`${SUBS}/${sub.id}/cancel-plan-change`, { method: "POST" }),
    );
    assert.equal(cancelled.status, 200);
    down = false;
    const renewed = await renewing;
    assert.equal(renewed.stateReason, "renewal_payment_approved");
    assert.deepEqual((await chargesOf(sub.customerId, "renewal")).map((c) => c.status), [
      "approved",
    ]);
  } finally {
    await world.runEffects();
  }
});

Deno.test("a top-up charged for a line terminated meanwhile is refunded and refused, as an event", async () => {
  const sub = await activeSubscription(world);
  await world.runEffects(undefined, {
    // the line is terminated between the charge and its report
    beforeReport: async (row) => {
      if (row.type !== "subscription.charge_vas") return;
      await world.system.ask("subscription", sub.id, {
        type: "terminate",
        reason: "customer_requested",
        releaseInventory: true,
      });
    },
  });
  try {
    const r = await reply(
      await world.subscription.request(`${SUBS}/${sub.id}/vas-purchase`, {
        method: "POST",
        json: { vasOfferingId: "VAS_DATA_1GB" },
      }),
    );
    assert.equal(r.body.rule, "subscription.vas_purchase.not_if_terminated");
    await waitFor(
      async () => (await eventCount(sub.id, "subscription.charge_refunded")) === 1,
      "the refund",
    );
    assert.deepEqual((await chargesOf(sub.customerId, "vas")).map((c) => c.status), [
      "refunded",
    ]);
    assert.equal(await eventCount(sub.id, "subscription.vas_purchased"), 0);
    assert.equal((await api.call(getSubscription, { params: { id: sub.id } })).state, "terminated");
  } finally {
    await world.runEffects();
  }
});

Deno.test("a timer renewal refused for want of a card leaves its boundary unattempted; with a card it renews", async () => {
  const sub = await activeSubscription(world);
  const cards = await sql`
    select id from payment.payment_method where customer_id = ${sub.customerId}`;
  for (const { id } of cards) {
    await world.payment.client().call(removePaymentMethod, { params: { id } });
  }
  // the boundary into the past without moving the clock: the sweep finds it
  await sql`
    update subscription.subscription set next_renewal_at = kernel.bss_now() - interval '1 minute',
      current_period_end = kernel.bss_now() - interval '1 minute'
    where id = ${sub.id}`;
  await api.call(tickRenewals);
  const [intent] = await sql`
    select state, refusal->>'rule' as rule from subscription.charge_intent
    where subscription_id = ${sub.id} and purpose = 'renewal'`;
  assert.deepEqual({ ...intent }, {
    state: "refused",
    rule: "subscription.renew.no_payment_method",
  });
  const [row] = await sql`
    select state, last_renewal_attempted_at from subscription.subscription where id = ${sub.id}`;
  assert.deepEqual({ ...row }, { state: "active", last_renewal_attempted_at: null });
  assert.equal(await eventCount(sub.id, "subscription.renewed"), 0);
  await addCard(world, sub.customerId, GOOD_CARD, { makeDefault: true });
  await api.call(tickRenewals);
  assert.equal(await eventCount(sub.id, "subscription.renewed"), 1);
});

Deno.test({ name: "stop the world", fn: () => world.stop() });
