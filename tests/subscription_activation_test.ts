/**
 * Subscription create (docs/flows.md §1.6–1.7): first charge, activation with the plan's bundle,
 * the line bound and the eSIM activated, idempotent per commercial order; a decline leaves
 * nothing behind. Payment, CRM (with the inventory) and catalog are served for real.
 */
import assert from "node:assert/strict";
import { getEsimRoute } from "../http/inventory/esim.ts";
import { getMsisdnRoute } from "../http/inventory/msisdn.ts";
import { countCustomerPayments } from "../http/payment/payments.ts";
import {
  createSubscription,
  getSubscription,
  getSubscriptionBalance,
  getSubscriptionByMsisdn,
  listSubscriptions,
} from "../http/subscription/routes.ts";
import { reply } from "./support/http.ts";
import {
  activeSubscription,
  createBody,
  DECLINING_CARD,
  startWorld,
} from "./support/subscriptions.ts";

const world = await startWorld("subscription_activation");
const api = world.client();
const SUBS = "/subscription-api/v1/subscription";

Deno.test("create charges the first period and activates with the plan's bundle", async () => {
  const body = await createBody(world);
  const sub = await api.call(createSubscription, { body });
  assert.equal(sub.atType, "Subscription");
  assert.match(sub.id, /^SUB-\d{4,}$/);
  assert.equal(sub.href, `${SUBS}/${sub.id}`);
  assert.equal(sub.state, "active");
  assert.equal(sub.stateReason, "activation_payment_approved");
  assert.equal(sub.priceAmount, "10.00");
  assert.equal(sub.effectiveAmount, "10.00");
  assert.equal(sub.priceOfferingPriceId, "PRICE_PLAN_S");
  const start = Date.parse(sub.currentPeriodStart!);
  assert.equal(Date.parse(sub.currentPeriodEnd!) - start, 30 * 86400_000);
  assert.equal(sub.nextRenewalAt, sub.currentPeriodEnd);
  const byType = Object.fromEntries(sub.balances.map((b) => [b.allowanceType, b]));
  assert.deepEqual(
    Object.fromEntries(Object.entries(byType).map(([t, b]) => [t, [b.total, b.remaining]])),
    { data: [5120, 5120], voice: [100, 100], sms: [100, 100], data_roaming: [0, 0] },
  );
  assert.equal(byType.data.id, `${sub.id}-DATA`);
  // eSIM activation code and its QR payload
  assert.match(sub.activationCode!, /^LPA:1\$smdp\.bss-cli\.local\$[0-9a-f]{16}$/);
  assert.equal(sub.qrPayload, sub.activationCode);
  // the line is bound: MSISDN assigned to the subscription, eSIM activated
  const crm = world.crm.client();
  const number = await crm.call(getMsisdnRoute, { params: { msisdn: body.msisdn } });
  assert.equal(number.status, "assigned");
  assert.equal(number.assigned_to_subscription_id, sub.id);
  const esim = await crm.call(getEsimRoute, { params: { iccid: body.iccid } });
  assert.equal(esim.profile_state, "activated");
  assert.equal(esim.assigned_to_subscription_id, sub.id);
  // reads
  const one = await api.call(getSubscription, { params: { id: sub.id } });
  assert.equal(one.id, sub.id);
  const byMsisdn = await api.call(getSubscriptionByMsisdn, { params: { msisdn: body.msisdn } });
  assert.equal(byMsisdn.id, sub.id);
  const list = await api.call(listSubscriptions, { query: { customerId: body.customerId } });
  // The list reads balances nested in one statement: the same wire as the single read.
  assert.deepEqual(list, [one]);
  const balances = await api.call(getSubscriptionBalance, { params: { id: sub.id } });
  assert.equal(balances.length, 4);
  // one activation event, with the charge
  const [event] = await world.db.sql`
    select payload from audit.domain_event
    where event_type = 'subscription.activated' and aggregate_id = ${sub.id}`;
  assert.equal(event.payload.amountCharged, "10.00");
  assert.match(event.payload.paymentAttemptId, /^PAY-/);
});

Deno.test("a repeat with the same commercialOrderId returns the same subscription, no charge", async () => {
  const body = await createBody(world);
  const [first, second] = await Promise.all([
    api.call(createSubscription, { body }),
    api.call(createSubscription, { body }),
  ]);
  assert.equal(first.id, second.id);
  const again = await api.call(createSubscription, { body });
  assert.equal(again.id, first.id);
  const payments = world.payment.client();
  const { count } = await payments.call(countCustomerPayments, {
    query: { customerId: body.customerId },
  });
  assert.equal(count, 1);
});

Deno.test("a declined first charge leaves nothing behind and frees the line", async () => {
  const body = await createBody(world, { card: DECLINING_CARD });
  const r = await reply(await world.subscription.request(SUBS, { method: "POST", json: body }));
  assert.equal(r.status, 422);
  assert.equal(r.body.code, "POLICY_VIOLATION");
  assert.equal(r.body.rule, "subscription.create.requires_payment_success");
  assert.equal(r.body.context.declineCode, "card_declined");
  assert.match(r.body.context.paymentAttemptId, /^PAY-/);
  const [{ n }] = await world.db.sql`
    select count(*)::int as n from subscription.subscription
    where commercial_order_id = ${body.commercialOrderId!}`;
  assert.equal(n, 0);
  const [{ e }] = await world.db.sql`
    select count(*)::int as e from audit.domain_event where event_type like 'subscription.%'
      and payload->>'msisdn' = ${body.msisdn}`;
  assert.equal(e, 0);
  const crm = world.crm.client();
  assert.equal(
    (await crm.call(getMsisdnRoute, { params: { msisdn: body.msisdn } })).status,
    "available",
  );
  assert.equal(
    (await crm.call(getEsimRoute, { params: { iccid: body.iccid } })).profile_state,
    "available",
  );
});

Deno.test("create rules: customer, reserved line, active price", async () => {
  const post = async (body: unknown) =>
    await reply(await world.subscription.request(SUBS, { method: "POST", json: body }));
  // each refusal ends its order's activation: every attempt is a fresh order
  const refused = await createBody(world, { customerId: "CUST-00000000" });
  let r = await post(refused);
  assert.equal(r.body.rule, "subscription.create.requires_customer");
  // the same order again: the same refusal, nothing run twice
  r = await post(refused);
  assert.equal(r.body.rule, "subscription.create.requires_customer");
  r = await post(await createBody(world, { msisdn: "99999999" }));
  assert.equal(r.body.rule, "subscription.create.msisdn_and_esim_reserved");
  assert.equal(r.body.context.msisdn, "99999999");
  r = await post(await createBody(world, { offeringId: "PLAN_NOPE" }));
  assert.equal(r.body.rule, "subscription.create.requires_active_price");
  // a profile that is not reserved for this line
  r = await post(await createBody(world, { iccid: "8910101999999999999" }));
  assert.equal(r.body.rule, "subscription.create.msisdn_and_esim_reserved");
  assert.equal(r.body.context.iccid, "8910101999999999999");
});

Deno.test("create validates its body (snake_case accepted) and reads 404 unknown ids", async () => {
  let r = await reply(await world.subscription.request(SUBS, { method: "POST", json: {} }));
  assert.equal(r.status, 422);
  assert.equal(r.body.code, "VALIDATION_ERROR");
  const base = await createBody(world);
  r = await reply(
    await world.subscription.request(SUBS, {
      method: "POST",
      json: {
        customer_id: base.customerId,
        offering_id: base.offeringId,
        msisdn: base.msisdn,
        iccid: base.iccid,
        payment_method_id: base.paymentMethodId,
        price_snapshot: {
          price_amount: "8.00",
          price_currency: "SGD",
          price_offering_price_id: "PRICE_PLAN_S",
        },
      },
    }),
  );
  assert.equal(r.status, 201);
  assert.equal(r.body.priceAmount, "8.00");
  r = await reply(await world.subscription.request(`${SUBS}/SUB-9999`));
  assert.equal(r.status, 404);
  r = await reply(await world.subscription.request(`${SUBS}/by-msisdn/12345678`));
  assert.equal(r.status, 404);
  r = await reply(await world.subscription.request(`${SUBS}/SUB-9999/balance`));
  assert.equal(r.status, 404);
  r = await reply(await world.subscription.request(SUBS));
  assert.equal(r.status, 422);
});

Deno.test("a promo snapshot charges the discounted price and counts its periods", async () => {
  const sub = await activeSubscription(world, {
    offeringId: "PLAN_M",
    priceSnapshot: {
      priceAmount: "25.00",
      priceCurrency: "SGD",
      priceOfferingPriceId: "PRICE_PLAN_M",
      discountType: "percent",
      discountValue: "20",
      discountPeriodsTotal: 3,
      promoCode: "SAVE20",
    },
  });
  assert.equal(sub.priceAmount, "25.00");
  assert.equal(sub.discountPeriodsRemaining, 2);
  assert.equal(sub.effectiveAmount, "20.00");
  const [event] = await world.db.sql`
    select payload from audit.domain_event
    where event_type = 'subscription.activated' and aggregate_id = ${sub.id}`;
  assert.equal(event.payload.amountCharged, "20.00");
  assert.equal(event.payload.promoCode, "SAVE20");
});

Deno.test({
  name: "stop the world",
  fn: () => world.stop(),
});
