/**
 * The Stripe gateway against a local stand-in that speaks Stripe's wire format: a card put on
 * file by attaching a `pm_…` (the card read from Stripe), charges as PaymentIntents (approved,
 * declined, Stripe out of reach), the same charge sent twice reaching Stripe once, the
 * compensation's refund, and the webhook (signed deliveries, refusals that keep nothing,
 * duplicates, reconciliation against the recorded charge).
 */
import assert from "node:assert/strict";
import { refundByKey } from "../actors/payment/refunds.ts";
import { paymentOptions } from "../actors/payment/options.ts";
import { stripeApi } from "../actors/payment/stripe_api.ts";
import { StripeGateway } from "../actors/payment/stripe_gateway.ts";
import { endpoints } from "../http/payment/index.ts";
import { freshDatabase } from "./support/db.ts";
import { reply, serveTest, testConfig } from "./support/http.ts";
import { violation } from "./support/assert.ts";
import { startStripeStandIn } from "./support/stripe_standin.ts";

const WEBHOOK_SECRET = "whsec_test_0123456789abcdef";
const db = await freshDatabase("payment_stripe");
const stripe = await startStripeStandIn();
const options = paymentOptions({
  gateway: new StripeGateway(db.sql, stripeApi({ apiKey: stripe.apiKey, baseUrl: stripe.url })),
});
const config = testConfig({ BSS_PAYMENT_STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET });
const server = serveTest({
  sql: db.sql,
  service: "payment",
  endpoints: endpoints({ sql: db.sql, config }, options),
});
const unsignedServer = serveTest({
  sql: db.sql,
  service: "payment",
  endpoints: endpoints({ sql: db.sql }, options),
});
const WEBHOOK = `${server.url}/webhooks/stripe`;

/** The domain events of `type` about one aggregate, oldest first. */
async function eventsOf(type: string, aggregateId: string) {
  return [
    ...await db.sql<{ actor: string; payload: Record<string, unknown> }[]>`
      select actor, payload from audit.domain_event
      where event_type = ${type} and aggregate_id = ${aggregateId} order by id`,
  ];
}

const METHODS = "/tmf-api/paymentMethodManagement/v4/paymentMethod";
const PAYMENTS = "/tmf-api/paymentManagement/v4/payment";
let customers = 0;
const newCustomer = () => `CUST-${(++customers).toString(16).padStart(8, "0")}`;

/** Puts Stripe's test card `pm` on file for a new customer: [customerId, method]. */
async function cardOnFile(pm = "pm_card_visa") {
  const customerId = newCustomer();
  const r = await reply(
    await server.request(METHODS, {
      method: "POST",
      json: { customerId, tokenizationProvider: "stripe", providerToken: pm },
    }),
  );
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return [customerId, r.body] as const;
}

const charge = (customerId: string, paymentMethodId: string, idempotencyKey?: string) =>
  server.request(PAYMENTS, {
    method: "POST",
    json: { customerId, paymentMethodId, amount: "25.00", purpose: "activation", idempotencyKey },
  }).then(reply);

Deno.test("a pm_… is attached to the customer's Stripe customer and the card read from Stripe", async () => {
  const [customerId, method] = await cardOnFile("pm_card_mastercard");
  assert.equal(method.tokenizationProvider, "stripe");
  assert.match(method.providerToken, /^pm_\w+$/);
  assert.notEqual(method.providerToken, "pm_card_mastercard", "the attached copy is kept");
  assert.deepEqual(
    [method.cardSummary.brand, method.cardSummary.last4, method.isDefault],
    ["mastercard", "4444", true],
  );
  const [{ external_ref }] = await db.sql`
    select external_ref from payment.provider_customer where customer_id = ${customerId}`;
  assert.equal(stripe.get(method.providerToken)?.customer, external_ref);
  const made = stripe.get(external_ref) as { metadata: Record<string, string> };
  assert.equal(made.metadata.bss_customer_id, customerId);

  // A second card of the same customer goes to the same Stripe customer.
  await server.request(METHODS, {
    method: "POST",
    json: { customerId, tokenizationProvider: "stripe", providerToken: "pm_card_visa" },
  });
  const creates = stripe.requests.filter((r) => r.path === "/v1/customers");
  assert.equal(
    creates.filter((r) => r.params["metadata[bss_customer_id]"] === customerId).length,
    1,
  );
});

Deno.test("an unknown pm_… is Stripe's refusal, a 422 naming it, and nothing is kept", async () => {
  const customerId = newCustomer();
  const r = await reply(
    await server.request(METHODS, {
      method: "POST",
      json: { customerId, tokenizationProvider: "stripe", providerToken: "pm_nope" },
    }),
  );
  violation(r, "payment.method.add.provider_refused");
  assert.match(r.body.message, /No such PaymentMethod/);
  const [{ n }] = await db.sql`
    select count(*)::int as n from payment.payment_method where customer_id = ${customerId}`;
  assert.equal(n, 0);
});

Deno.test("Stripe out of reach while a card is added: 503, nothing kept, the same call then works", async () => {
  const customerId = newCustomer();
  stripe.failNext(3);
  const r = await reply(
    await server.request(METHODS, {
      method: "POST",
      json: { customerId, tokenizationProvider: "stripe", providerToken: "pm_card_visa" },
    }),
  );
  assert.equal(r.status, 503, JSON.stringify(r.body));
  assert.equal(r.body.code, "PROVIDER_UNAVAILABLE");
  const again = await server.request(METHODS, {
    method: "POST",
    json: { customerId, tokenizationProvider: "stripe", providerToken: "pm_card_visa" },
  });
  assert.equal(again.status, 201);
});

Deno.test("a charge is a PaymentIntent confirmed off session, in cents, with its purpose", async () => {
  const [customerId, method] = await cardOnFile();
  const r = await charge(customerId, method.id, "activation:SUB-STRIPE-1");
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.status, "approved");
  assert.match(r.body.gatewayRef, /^pi_\w+$/);
  const intent = stripe.get(r.body.gatewayRef)!;
  assert.deepEqual(
    [intent.status, intent.amount, intent.currency, intent.payment_method],
    ["succeeded", 2500, "sgd", method.providerToken],
  );
  const sent = stripe.requests.find((q) => q.path === "/v1/payment_intents" && !q.replayed)!;
  assert.equal(sent.params["metadata[bss_purpose]"], "activation");
  assert.equal(sent.params.off_session, "true");
  assert.match(sent.idempotencyKey!, /^cus_\w+:activation:SUB-STRIPE-1$/);
  const [event] = await eventsOf("payment.charged", r.body.id);
  assert.equal(event.payload.provider_call_id, r.body.gatewayRef);
});

Deno.test("Stripe's declines are declines with Stripe's code and the BSS's words", async () => {
  for (
    const [pm, reason, code] of [
      ["pm_card_chargeDeclined", "card_declined_by_issuer", "generic_decline"],
      ["pm_card_chargeDeclinedInsufficientFunds", "insufficient_funds", "insufficient_funds"],
    ]
  ) {
    const [customerId, method] = await cardOnFile(pm);
    const r = await charge(customerId, method.id);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual([r.body.status, r.body.declineReason, r.body.declineCode], [
      "declined",
      reason,
      code,
    ]);
    assert.match(r.body.gatewayRef, /^pi_\w+$/);
  }
});

Deno.test("a 5xx is tried again under the same key; Stripe down for good is `errored`", async () => {
  const [customerId, method] = await cardOnFile();
  stripe.failNext(1);
  const r = await charge(customerId, method.id, "activation:SUB-STRIPE-5XX");
  assert.equal(r.body.status, "approved");
  const tries = stripe.requests.filter((q) =>
    q.idempotencyKey?.endsWith(":activation:SUB-STRIPE-5XX")
  );
  assert.equal(tries.length, 2);
  assert.equal(new Set(tries.map((q) => q.idempotencyKey)).size, 1);

  stripe.failNext(3);
  const down = await charge(customerId, method.id, "activation:SUB-STRIPE-DOWN");
  assert.deepEqual([down.body.status, down.body.declineReason], ["errored", "gateway_error"]);
});

Deno.test("the same charge twice (and at once) reaches Stripe once; its refund gives it back once", async () => {
  const [customerId, method] = await cardOnFile();
  const key = "activation:SUB-STRIPE-TWICE";
  const [a, b] = await Promise.all([
    charge(customerId, method.id, key),
    charge(customerId, method.id, key),
  ]);
  assert.equal(a.body.id, b.body.id);
  const sent = stripe.requests.filter((q) => q.idempotencyKey?.endsWith(`:${key}`));
  assert.equal(sent.length, 1);

  const refunded = await refundByKey(db.sql, options, key, "activation_failed");
  assert.equal(refunded?.status, "refunded");
  const again = await refundByKey(db.sql, options, key, "activation_failed");
  assert.equal(again?.status, "refunded");
  const refunds = stripe.requests.filter((q) => q.path === "/v1/refunds");
  assert.equal(refunds.filter((q) => q.params.payment_intent === a.body.gatewayRef).length, 1);
  const [{ refund_ref }] = await db.sql`
    select refund_ref from payment.payment_attempt where id = ${a.body.id}`;
  assert.match(refund_ref, /^re_\w+$/);
});

const ENTRY = `${METHODS}/cardEntry`;
const startEntry = (customerId: string) =>
  server.request(ENTRY, {
    method: "POST",
    json: {
      customerId,
      returnUrl: "https://portal.example/payment-methods/add/return",
      cancelUrl: "https://portal.example/payment-methods",
    },
  }).then(reply);
const finishEntry = (customerId: string, id: string) =>
  server.request(`${ENTRY}/${id}/complete`, { method: "POST", json: { customerId } }).then(reply);

Deno.test("card entry at Stripe's page: a setup session for the customer, then its card on file", async () => {
  const customerId = newCustomer();
  const started = await startEntry(customerId);
  assert.equal(started.status, 201, JSON.stringify(started.body));
  assert.match(started.body.id, /^cs_\w+$/);
  assert.equal(started.body.url, stripe.get(started.body.id)!.url);
  const session = stripe.get(started.body.id) as Record<string, unknown> & {
    metadata: Record<string, string>;
  };
  assert.deepEqual([session.mode, session.metadata.bss_customer_id], ["setup", customerId]);
  assert.equal(
    session.success_url,
    "https://portal.example/payment-methods/add/return?cs_id={CHECKOUT_SESSION_ID}",
  );

  // Not finished at Stripe yet: refused, nothing kept.
  violation(await finishEntry(customerId, started.body.id), "payment.card_entry.not_complete");
  const back = stripe.completeCheckout(started.body.id, "pm_card_mastercard");
  assert.equal(back, `https://portal.example/payment-methods/add/return?cs_id=${started.body.id}`);
  const done = await finishEntry(customerId, started.body.id);
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.deepEqual(
    [done.body.tokenizationProvider, done.body.cardSummary.brand, done.body.cardSummary.last4],
    ["stripe", "mastercard", "4444"],
  );
  // The return page reloaded: the same card, not a second one.
  const again = await finishEntry(customerId, started.body.id);
  assert.equal(again.body.id, done.body.id);
  const [{ n }] = await db.sql`
    select count(*)::int as n from payment.payment_method where customer_id = ${customerId}`;
  assert.equal(n, 1);

  // Someone else's entry, or not an entry at all, is refused.
  violation(
    await finishEntry(newCustomer(), started.body.id),
    "payment.card_entry.metadata_mismatch",
  );
  violation(await finishEntry(customerId, "pi_123"), "payment.card_entry.bad_return");
});

Deno.test("card entry needs the Stripe gateway; its URLs must be web addresses", async () => {
  const mock = serveTest({
    sql: db.sql,
    service: "payment",
    endpoints: endpoints({ sql: db.sql }),
  });
  try {
    const r = await reply(
      await mock.request(ENTRY, {
        method: "POST",
        json: {
          customerId: newCustomer(),
          returnUrl: "https://a.example",
          cancelUrl: "https://a.example",
        },
      }),
    );
    violation(r, "payment.card_entry.provider_page");
  } finally {
    await mock.stop();
  }
  const bad = await reply(
    await server.request(ENTRY, {
      method: "POST",
      json: { customerId: newCustomer(), returnUrl: "javascript:alert(1)", cancelUrl: "x" },
    }),
  );
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.body.issues.map((i: { path: string[] }) => i.path.join(".")).sort(), [
    "body.cancelUrl",
    "body.returnUrl",
  ]);
});

/** The newest event the stand-in made of `type` about the PaymentIntent `pi`. */
function eventAbout(type: string, pi: string) {
  const found = stripe.events.findLast((e) =>
    e.type === type && (e.data.object.payment_intent === pi || e.data.object.id === pi)
  );
  assert.ok(found, `${type} for ${pi}`);
  return found;
}

Deno.test("webhook: a signed delivery is kept once and reconciled with the recorded charge", async () => {
  const [customerId, method] = await cardOnFile();
  const paid = await charge(customerId, method.id, "activation:SUB-STRIPE-HOOK");
  const succeeded = eventAbout("charge.succeeded", paid.body.gatewayRef);
  const first = await reply(await stripe.deliver(WEBHOOK, succeeded, WEBHOOK_SECRET));
  assert.deepEqual([first.status, first.body], [200, { received: true, outcome: "reconciled" }]);
  const dup = await reply(await stripe.deliver(WEBHOOK, succeeded, WEBHOOK_SECRET));
  assert.deepEqual([dup.status, dup.body], [200, { received: true, deduped: true }]);
  const [row] = await db.sql`
    select outcome, payment_id from payment.webhook_event where event_id = ${succeeded.id}`;
  assert.deepEqual({ ...row }, { outcome: "reconciled", payment_id: paid.body.id });

  // Refunded from Stripe's dashboard: reported, the recorded charge left as it was.
  const refunded = stripe.refundFromDashboard(paid.body.gatewayRef);
  const r = await reply(await stripe.deliver(WEBHOOK, refunded, WEBHOOK_SECRET));
  assert.equal(r.body.outcome, "reconciled");
  const [report] = await eventsOf("payment.refunded_at_provider", paid.body.id);
  assert.equal(report.payload.amount_refunded_minor, 2500);
  assert.equal(report.actor, "stripe");
  const [{ status }] = await db.sql`
    select status from payment.payment_attempt where id = ${paid.body.id}`;
  assert.equal(status, "approved");

  const dispute = stripe.openDispute(paid.body.gatewayRef);
  await stripe.deliver(WEBHOOK, dispute, WEBHOOK_SECRET);
  assert.equal((await eventsOf("payment.dispute_opened", paid.body.id)).length, 1);
});

Deno.test("webhook: Stripe saying a declined charge succeeded is drift, never written over", async () => {
  const [customerId, method] = await cardOnFile("pm_card_chargeDeclined");
  const declined = await charge(customerId, method.id);
  const failed = eventAbout("charge.failed", declined.body.gatewayRef);
  const lying = { ...failed, id: `${failed.id}x`, type: "charge.succeeded" };
  const r = await reply(await stripe.deliver(WEBHOOK, lying, WEBHOOK_SECRET));
  assert.equal(r.body.outcome, "drift");
  const [drift] = await eventsOf("payment.attempt_state_drift", declined.body.id);
  assert.equal(drift.payload.recorded_status, "declined");
  const [{ status }] = await db.sql`
    select status from payment.payment_attempt where id = ${declined.body.id}`;
  assert.equal(status, "declined");
});

Deno.test("webhook: refused deliveries keep nothing", async () => {
  const event = stripe.events[0];
  const codeOf = async (r: Promise<Response>) => {
    const { status, body } = await reply(await r);
    return `${status} ${body.code}`;
  };
  const post = (headers: Record<string, string>, body = JSON.stringify(event)) =>
    fetch(WEBHOOK, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
  assert.equal(await codeOf(post({})), "401 missing_header");
  assert.equal(await codeOf(post({ "stripe-signature": "v1=abc" })), "401 malformed_header");
  assert.equal(
    await codeOf(stripe.deliver(WEBHOOK, event, WEBHOOK_SECRET, { tamper: true })),
    "401 signature_mismatch",
  );
  assert.equal(
    await codeOf(stripe.deliver(WEBHOOK, event, "whsec_someone_else_entirely")),
    "401 signature_mismatch",
  );
  const old = Math.floor(Date.now() / 1000) - 3600;
  assert.equal(
    await codeOf(stripe.deliver(WEBHOOK, event, WEBHOOK_SECRET, { at: old })),
    "401 replay_window",
  );
  assert.equal(
    await codeOf(stripe.deliver(`${unsignedServer.url}/webhooks/stripe`, event, WEBHOOK_SECRET)),
    "401 webhook_secret_unset",
  );
  const notAnEvent = { ...event, data: undefined } as unknown as typeof event;
  assert.equal(
    await codeOf(stripe.deliver(WEBHOOK, notAnEvent, WEBHOOK_SECRET)),
    "400 malformed_body",
  );
  const [{ n }] = await db.sql`
    select count(*)::int as n from payment.webhook_event where event_id = ${event.id}`;
  assert.equal(n, 0);
});

Deno.test({
  name: "teardown",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await server.stop();
    await unsignedServer.stop();
    await stripe.stop();
    await db.drop();
  },
});
