/**
 * Usage on a subscription (docs/flows.md §2, 01 §6.5): `usage.rated` decrements exactly once per
 * event under concurrency and redelivery, the line blocks the instant data is spent, blocked
 * lines reject usage, and a VAS that restores data unblocks it (docs/decisions.md).
 */
import assert from "node:assert/strict";
import type { BusEvent } from "../actors/bridge/types.ts";
import { removePaymentMethod } from "../http/payment/payment_methods.ts";
import { usageRatedBinding } from "../http/subscription/bindings.ts";
import { getSubscription, purchaseVas } from "../http/subscription/routes.ts";
import { clock } from "../kernel/clock.ts";
import { reply } from "./support/http.ts";
import {
  activeSubscription,
  addCard,
  DECLINING_CARD,
  startWorld,
} from "./support/subscriptions.ts";

const world = await startWorld("subscription_usage");
const api = world.client();
const SUBS = "/subscription-api/v1/subscription";
let seq = 0;

/** Delivers one `usage.rated` event through the binding, as the bridge would. */
function rated(subscriptionId: string, allowanceType: string, quantity: number, id?: string) {
  const event: BusEvent = {
    eventId: crypto.randomUUID(),
    type: "usage.rated",
    payload: {
      usageEventId: id ?? `UE-T${++seq}-${crypto.randomUUID().slice(0, 6)}`,
      subscriptionId,
      allowanceType,
      consumedQuantity: quantity,
      unit: "mb",
      chargeAmount: "0",
      currency: "SGD",
      offeringId: "PLAN_S",
    },
  };
  const target = usageRatedBinding.to(event);
  return world.system.ask(target.kind, target.key, target.message);
}

const balance = async (id: string, type = "data") => {
  const sub = await api.call(getSubscription, { params: { id } });
  return { sub, b: sub.balances.find((b) => b.allowanceType === type)! };
};

const events = async (id: string, type: string) =>
  (await world.db.sql`
    select payload from audit.domain_event where aggregate_id = ${id} and event_type = ${type}
    order by id`).map((r) => r.payload);

Deno.test("50 concurrent usage events decrement exactly 50 times; redelivery is a no-op", async () => {
  const sub = await activeSubscription(world);
  const ids = Array.from({ length: 50 }, (_, i) => `UE-C${i}-${sub.id}`);
  await Promise.all(ids.map((id) => rated(sub.id, "voice", 1, id)));
  await Promise.all(ids.slice(0, 10).map((id) => rated(sub.id, "voice", 1, id)));
  const { b } = await balance(sub.id, "voice");
  assert.equal(b.consumed, 50);
  assert.equal(b.remaining, 50);
});

Deno.test("exhausting data blocks at once; blocked rejects usage; a data VAS unblocks", async () => {
  const sub = await activeSubscription(world);
  await rated(sub.id, "data", 5000);
  assert.equal((await balance(sub.id)).sub.state, "active");
  await rated(sub.id, "data", 500); // more than is left: consumed caps at total
  const { sub: blocked, b } = await balance(sub.id);
  assert.equal(blocked.state, "blocked");
  assert.equal(blocked.stateReason, "primary_allowance_exhausted");
  assert.equal(b.consumed, 5120);
  assert.equal(b.remaining, 0);
  const [exhausted] = await events(sub.id, "subscription.exhausted");
  assert.equal(exhausted.allowanceType, "data");
  assert.deepEqual((await events(sub.id, "subscription.blocked")).map((e) => e.reason), [
    "exhausted",
  ]);
  // usage on a blocked line is rejected, not counted
  await rated(sub.id, "voice", 5, "UE-BLOCKED-1");
  assert.equal((await balance(sub.id, "voice")).b.consumed, 0);
  const [rejected] = await events(sub.id, "usage.rejected");
  assert.equal(rejected.usageEventId, "UE-BLOCKED-1");
  // a roaming top-up does not restore data: still blocked
  const r = await reply(
    await world.subscription.request(`${SUBS}/${sub.id}/vas-purchase`, {
      method: "POST",
      json: { vas_offering_id: "VAS_ROAMING_1GB" },
    }),
  );
  assert.equal(r.status, 200);
  assert.equal(r.body.state, "blocked");
  // a data top-up does
  const after = await api.call(purchaseVas, {
    params: { id: sub.id },
    body: { vasOfferingId: "VAS_DATA_1GB" },
  });
  assert.equal(after.state, "active");
  assert.equal(after.stateReason, "vas_top_up");
  const data = after.balances.find((x) => x.allowanceType === "data")!;
  assert.equal(data.total, 5120 + 1024);
  assert.equal(data.remaining, 1024);
  const [unblocked] = await events(sub.id, "subscription.unblocked");
  assert.equal(unblocked.reason, "vas_top_up");
  const purchases = await events(sub.id, "subscription.vas_purchased");
  assert.deepEqual(purchases.map((p) => p.previousState), ["blocked", "blocked"]);
});

Deno.test("roaming usage without a roaming balance is rejected, state unchanged", async () => {
  const sub = await activeSubscription(world); // PLAN_S: data_roaming 0
  await rated(sub.id, "data_roaming", 10, "UE-ROAM-1");
  const [rejected] = await events(sub.id, "usage.rejected");
  assert.equal(rejected.reason, "subscription.usage_rated.roaming_balance_required");
  assert.equal(rejected.consumed_quantity, 10);
  assert.equal((await balance(sub.id)).sub.state, "active");
});

Deno.test("VAS_UNLIMITED_DAY unblocks for 24 h, then expires for real", async () => {
  const sub = await activeSubscription(world);
  await rated(sub.id, "data", 5120);
  assert.equal((await balance(sub.id)).sub.state, "blocked");
  const day = await api.call(purchaseVas, {
    params: { id: sub.id },
    body: { vasOfferingId: "VAS_UNLIMITED_DAY" },
  });
  assert.equal(day.state, "active");
  assert.equal(day.balances.find((b) => b.allowanceType === "data")!.remaining, -1);
  await rated(sub.id, "data", 100_000); // unmetered
  assert.equal((await balance(sub.id)).sub.state, "active");
  await clock.advance(world.db.sql, 25 * 3600);
  let state = "";
  for (let i = 0; i < 100 && state !== "blocked"; i++) {
    state = (await balance(sub.id)).sub.state;
    if (state !== "blocked") await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(state, "blocked");
  assert.equal((await balance(sub.id)).b.remaining, 0);
});

Deno.test("VAS rules: unknown offering, no card, declined charge, terminated, unknown id", async () => {
  const sub = await activeSubscription(world);
  const buy = async (id: string, vasOfferingId: string) =>
    await reply(
      await world.subscription.request(`${SUBS}/${id}/vas-purchase`, {
        method: "POST",
        json: { vasOfferingId },
      }),
    );
  let r = await buy(sub.id, "VAS_NOPE");
  assert.equal(r.body.rule, "subscription.vas_purchase.vas_offering_sellable");
  assert.equal(r.body.context.vas_offering_id, "VAS_NOPE");
  await addCard(world, sub.customerId, DECLINING_CARD, { makeDefault: true });
  r = await buy(sub.id, "VAS_DATA_1GB");
  assert.equal(r.body.rule, "subscription.vas_purchase.requires_active_cof");
  assert.equal(r.body.context.payment_status, "declined");
  r = await buy("SUB-9999", "VAS_DATA_1GB");
  assert.equal(r.status, 404);
  r = await reply(
    await world.subscription.request(`${SUBS}/${sub.id}/vas-purchase`, {
      method: "POST",
      json: {},
    }),
  );
  assert.equal(r.status, 422);
  assert.equal(r.body.code, "VALIDATION_ERROR");
  await world.subscription.request(`${SUBS}/${sub.id}/terminate`, { method: "POST" });
  r = await buy(sub.id, "VAS_DATA_1GB");
  assert.equal(r.body.rule, "subscription.vas_purchase.not_if_terminated");
  assert.equal(r.body.context.state, "terminated");
});

Deno.test("a VAS needs a card on file", async () => {
  const sub = await activeSubscription(world);
  const methods = await world.db.sql`
    select id from payment.payment_method where customer_id = ${sub.customerId}`;
  for (const { id } of methods) {
    await world.payment.client().call(removePaymentMethod, { params: { id } });
  }
  const r = await reply(
    await world.subscription.request(`${SUBS}/${sub.id}/vas-purchase`, {
      method: "POST",
      json: { vasOfferingId: "VAS_DATA_1GB" },
    }),
  );
  assert.equal(r.body.rule, "subscription.vas_purchase.requires_active_cof");
  assert.deepEqual(r.body.context, { customer_id: sub.customerId });
});

Deno.test({ name: "stop the world", fn: () => world.stop() });
