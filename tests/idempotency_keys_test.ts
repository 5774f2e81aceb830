/**
 * `Idempotency-Key` on the money- and line-creating POSTs of the subscription and payment
 * services (VAS purchase, plan change, payment method add): concurrent retries with one key
 * get one outcome and make one effect; the key on another request is refused; a refusal is
 * answered again, not re-run. (Order create: `com_order_create_test.ts`.)
 */
import assert from "node:assert/strict";
import { tokenizeCard } from "../actors/payment/mock_tokenizer.ts";
import { createCustomer } from "./support/crm.ts";
import { reply } from "./support/http.ts";
import { activeSubscription, startWorld } from "./support/subscriptions.ts";

const world = await startWorld("idempotency_keys");
const { sql } = world.db;
const SUBS = "/subscription-api/v1/subscription";
const METHODS = "/tmf-api/paymentMethodManagement/v4/paymentMethod";

const post = (server: typeof world.subscription, path: string, key: string, json: unknown) =>
  server.request(path, { method: "POST", json, headers: { "Idempotency-Key": key } })
    .then(reply);

/** Four concurrent requests with one key; every answer must be the same. */
async function fourTimes(send: () => ReturnType<typeof reply>) {
  const answers = await Promise.all([send(), send(), send(), send()]);
  for (const a of answers.slice(1)) assert.deepEqual(a, answers[0]);
  return answers[0];
}

Deno.test("a VAS purchase retried with one key is charged and applied once", async () => {
  const sub = await activeSubscription(world);
  const key = `vas-${crypto.randomUUID()}`;
  const buy = () =>
    post(world.subscription, `${SUBS}/${sub.id}/vas-purchase`, key, {
      vasOfferingId: "VAS_DATA_1GB",
    });
  const first = await fourTimes(buy);
  assert.equal(first.status, 200);
  assert.deepEqual(await buy(), first);
  const [{ charges }] = await sql`
    select count(*)::int as charges from payment.payment_attempt
    where customer_id = ${sub.customerId} and purpose = 'vas'`;
  assert.equal(charges, 1);
  const [{ purchases }] = await sql`
    select count(*)::int as purchases from subscription.vas_purchase
    where subscription_id = ${sub.id}`;
  assert.equal(purchases, 1);
  // another key is another purchase
  const other = await post(world.subscription, `${SUBS}/${sub.id}/vas-purchase`, `${key}-2`, {
    vasOfferingId: "VAS_DATA_1GB",
  });
  assert.equal(other.status, 200);
  const [{ n }] = await sql`
    select count(*)::int as n from subscription.vas_purchase where subscription_id = ${sub.id}`;
  assert.equal(n, 2);
  // the key on a different request is refused
  const reused = await post(world.subscription, `${SUBS}/${sub.id}/vas-purchase`, key, {
    vasOfferingId: "VAS_UNLIMITED_DAY",
  });
  assert.equal(reused.status, 422);
  assert.equal(reused.body.code, "VALIDATION_ERROR");
});

Deno.test("a plan change retried with one key schedules once and answers the same", async () => {
  const sub = await activeSubscription(world);
  const key = `plan-${crypto.randomUUID()}`;
  const change = () =>
    post(world.subscription, `${SUBS}/${sub.id}/schedule-plan-change`, key, {
      newOfferingId: "PLAN_M",
    });
  const first = await fourTimes(change);
  assert.equal(first.status, 200);
  assert.equal(first.body.pendingOfferingId, "PLAN_M");
  const [{ n }] = await sql`
    select count(*)::int as n from audit.domain_event
    where event_type = 'subscription.plan_change_scheduled' and aggregate_id = ${sub.id}`;
  assert.equal(n, 1);
  // without the key the second request is the refusal it always was
  const again = await reply(
    await world.subscription.request(`${SUBS}/${sub.id}/schedule-plan-change`, {
      method: "POST",
      json: { newOfferingId: "PLAN_M" },
    }),
  );
  assert.equal(again.body.rule, "subscription.plan_change.already_pending");
});

Deno.test("a card added with one key is added once; a refusal is answered again", async () => {
  const customerId = await createCustomer(world.crm);
  const card = tokenizeCard({ cardNumber: "4242 4242 4242 4242", expMonth: 12, expYear: 2099 });
  const key = `card-${crypto.randomUUID()}`;
  const add = () => post(world.payment, METHODS, key, { customerId, ...card });
  const first = await fourTimes(add);
  assert.equal(first.status, 201);
  const [{ n }] = await sql`
    select count(*)::int as n from payment.payment_method where customer_id = ${customerId}`;
  assert.equal(n, 1);
  // a refused request under a key: the same refusal, the work not run again
  const other = tokenizeCard({ cardNumber: "4242 4242 4242 4242", expMonth: 12, expYear: 2099 });
  const expired = { ...other, cardSummary: { ...other.cardSummary, expMonth: 1, expYear: 2000 } };
  const refusedKey = `card-${crypto.randomUUID()}`;
  const refused = () => post(world.payment, METHODS, refusedKey, { customerId, ...expired });
  const r = await fourTimes(refused);
  assert.equal(r.status, 422);
  assert.equal(r.body.code, "POLICY_VIOLATION");
  const [stored] = await sql`
    select state, outcome->'ok' as ok from idempotency.request where key = ${refusedKey}`;
  assert.deepEqual({ ...stored }, { state: "done", ok: false });
});

Deno.test("stop the world", async () => {
  await world.stop();
});
