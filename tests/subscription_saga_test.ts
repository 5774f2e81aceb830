/**
 * The activation saga under failure: the effect that charges and binds runs after the
 * subscription's turn, so a runner killed between the charge and its report is resumed with
 * the same keys (one charge, the line bound once); a refusal after an approved charge refunds
 * it and gives the line back, each compensation an event and an audit row; a failure past
 * the retries is undone by the compensation effect.
 */
import assert from "node:assert/strict";
import { getEsimRoute } from "../http/inventory/esim.ts";
import { getMsisdnRoute } from "../http/inventory/msisdn.ts";
import { createSubscription, getSubscription } from "../http/subscription/routes.ts";
import { PolicyViolation } from "../kernel/errors.ts";
import { waitFor } from "./support/bridge.ts";
import { reply } from "./support/http.ts";
import { activeSubscription, createBody, startWorld } from "./support/subscriptions.ts";

const world = await startWorld("subscription_saga");
const api = world.client();
const SUBS = "/subscription-api/v1/subscription";
const { sql } = world.db;

const paymentsOf = (customerId: string) =>
  sql<{ id: string; status: string; idempotency_key: string }[]>`
    select id, status, idempotency_key from payment.payment_attempt
    where customer_id = ${customerId} order by id`;

async function lineState(line: { msisdn: string; iccid: string }) {
  const crm = world.crm.client();
  const number = await crm.call(getMsisdnRoute, { params: { msisdn: line.msisdn } });
  const esim = await crm.call(getEsimRoute, { params: { iccid: line.iccid } });
  return { msisdn: number.status, esim: esim.profile_state };
}

Deno.test("a runner killed after charging and binding: the retry resumes with the same key, one charge", async () => {
  let kills = 0;
  await world.runEffects(undefined, {
    leaseMs: 300,
    // the charge and the binding happened; the process dies before the outcome is written
    beforeReport: () => kills++ === 0 ? Promise.reject(new Error("killed")) : Promise.resolve(),
  });
  try {
    const body = await createBody(world);
    const sub = await api.call(createSubscription, { body });
    assert.equal(sub.state, "active");
    // At least one retry; on a loaded machine the 300 ms lease can lapse mid-run and a third
    // run start: the keys make that harmless too, which is what this test is about.
    assert.ok(kills >= 2, `the effect was retried after the kill (${kills} runs)`);
    const [effect] = await sql`
      select attempts, state from effect.effect
      where idempotency_key = ${`activation:${body.commercialOrderId}`}`;
    assert.equal(effect.state, "done");
    assert.ok(effect.attempts >= 2, `attempts counted before each run (${effect.attempts})`);
    const payments = await paymentsOf(body.customerId);
    assert.deepEqual(
      payments.map((p) => [p.status, p.idempotency_key]),
      [["approved", `activation:${body.commercialOrderId}`]],
    );
    assert.deepEqual(await lineState(body), { msisdn: "assigned", esim: "activated" });
    const [{ n }] = await sql`
      select count(*)::int as n from audit.domain_event
      where event_type = 'subscription.activated' and aggregate_id = ${sub.id}`;
    assert.equal(n, 1);
  } finally {
    await world.runEffects();
  }
});

Deno.test("a create naming another live line's number and eSIM is refused and leaves that line alone", async () => {
  await world.runEffects();
  const live = await activeSubscription(world);
  const taken = await createBody(world, { msisdn: live.msisdn, iccid: live.iccid });
  const r = await reply(await world.subscription.request(SUBS, { method: "POST", json: taken }));
  assert.equal(r.status, 422);
  assert.deepEqual(r.body.context.compensations, [
    "esim kept (another line's)",
    "msisdn kept (another line's)",
  ]);
  assert.deepEqual(await lineState(live), { msisdn: "assigned", esim: "activated" });
  const line = await api.call(getSubscription, { params: { id: live.id } });
  assert.equal(line.state, "active");
});

Deno.test("a refusal after an approved charge refunds it and returns the line, as events", async () => {
  // the line is taken from under the activation between its checks and its binding
  await world.runEffects({
    ...world.ports,
    bindLine: async (line) => {
      await world.ports.bindLine(line);
      throw new PolicyViolation(
        "subscription.create.msisdn_and_esim_reserved",
        "the eSIM went to another line",
        { iccid: line.iccid },
      );
    },
  });
  try {
    const body = await createBody(world);
    const r = await reply(await world.subscription.request(SUBS, { method: "POST", json: body }));
    assert.equal(r.status, 422);
    assert.equal(r.body.rule, "subscription.create.msisdn_and_esim_reserved");
    const [payment] = await paymentsOf(body.customerId);
    assert.equal(payment.status, "refunded");
    assert.deepEqual(r.body.context.compensations, [
      `refunded ${payment.id}`,
      "esim recycled",
      "msisdn released",
    ]);
    const [{ n }] = await sql`
      select count(*)::int as n from subscription.subscription
      where commercial_order_id = ${body.commercialOrderId!}`;
    assert.equal(n, 0);
    // bound before the refusal: the profile cannot be reissued, the number rests
    assert.deepEqual(await lineState(body), { msisdn: "quarantine", esim: "recycled" });
    const events = await sql<{ event_type: string; payload: Record<string, unknown> }[]>`
      select event_type, payload from audit.domain_event
      where event_type in ('subscription.activation_failed', 'subscription.activation_compensated',
        'payment.refunded')
        and (payload->>'commercialOrderId' = ${body.commercialOrderId!}
          or aggregate_id = ${payment.id})
      order by id`;
    assert.deepEqual(events.map((e) => e.event_type).sort(), [
      "payment.refunded",
      "subscription.activation_compensated",
      "subscription.activation_failed",
    ]);
    const compensated = events.find((e) => e.event_type === "subscription.activation_compensated");
    assert.deepEqual(compensated!.payload.compensations, r.body.context.compensations);
  } finally {
    await world.runEffects();
  }
});

Deno.test("an activation failing past its retries is refused and undone by the compensation effect", async () => {
  const body = await createBody(world);
  // payment answers, then the inventory stays down: the charge is made, the binding never
  let down = true;
  await world.runEffects({
    ...world.ports,
    bindLine: (line) =>
      down ? Promise.reject(new Error("inventory unreachable")) : world.ports.bindLine(line),
  }, { maxAttempts: 2, backoffMs: 10 });
  try {
    const r = await reply(await world.subscription.request(SUBS, { method: "POST", json: body }));
    assert.equal(r.status, 422);
    assert.equal(r.body.rule, "subscription.create.activation_failed");
    down = false;
    // the undo runs as its own effect after the refusal
    await waitFor(
      async () => (await paymentsOf(body.customerId))[0]?.status === "refunded",
      "the refund",
    );
    const [payment] = await paymentsOf(body.customerId);
    await waitFor(async () => {
      const [{ n }] = await sql`
        select count(*)::int as n from audit.domain_event
        where event_type = 'subscription.activation_compensated'
          and payload->'compensations' ? ${`refunded ${payment.id}`}`;
      return n === 1;
    }, "the compensation event");
    assert.deepEqual(await lineState(body), { msisdn: "available", esim: "available" });
  } finally {
    await world.runEffects();
  }
});

Deno.test("stop the world", async () => {
  await world.stop();
});
