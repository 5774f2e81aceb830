/**
 * The local Stripe stand-in speaks Stripe's wire format: API keys are checked, test
 * PaymentMethods attach as fresh ones, charges succeed or decline with Stripe's 402 card_error,
 * idempotency keys replay (and refuse other parameters, and let an injected 500 be retried),
 * refunds update the charge, webhook deliveries are signed as Stripe signs them, and a
 * setup-mode Checkout Session saves a test card through its hosted page.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import {
  startStripeStandIn,
  type StripeEvent,
  stripeSignature,
  type StripeStandIn,
} from "./support/stripe_standin.ts";

/** An API answer: status, headers and the parsed JSON body. */
// deno-lint-ignore no-explicit-any
type Answer = { status: number; headers: Headers; body: any };

/** Calls the stand-in as an adapter does: Bearer key, form body, optional Idempotency-Key. */
async function api(
  s: StripeStandIn,
  method: string,
  path: string,
  params: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<Answer> {
  const form = new URLSearchParams(params).toString();
  const res = await fetch(`${s.url}${path}${method === "GET" && form ? `?${form}` : ""}`, {
    method,
    headers: {
      authorization: `Bearer ${s.apiKey}`,
      "content-type": "application/x-www-form-urlencoded",
      ...headers,
    },
    body: method === "GET" ? undefined : form,
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

/** Runs `fn` with a fresh stand-in, stopping it afterwards. */
async function withStandIn(fn: (s: StripeStandIn) => Promise<void>): Promise<void> {
  const s = await startStripeStandIn();
  try {
    await fn(s);
  } finally {
    await s.stop();
  }
}

/** A customer with `pm_card_visa` (or `testCard`) attached; answers both ids. */
async function customerWithCard(s: StripeStandIn, testCard = "pm_card_visa") {
  const customer = await api(s, "POST", "/v1/customers", { email: "ada@example.test" });
  assert.equal(customer.status, 200, JSON.stringify(customer.body));
  const pm = await api(s, "POST", `/v1/payment_methods/${testCard}/attach`, {
    customer: customer.body.id,
  });
  assert.equal(pm.status, 200, JSON.stringify(pm.body));
  return { customer: customer.body.id as string, pm: pm.body.id as string };
}

/** The parameters of an off-session charge. */
const charge = (customer: string, pm: string, amount = "1999") => ({
  amount,
  currency: "eur",
  customer,
  payment_method: pm,
  confirm: "true",
  off_session: "true",
  "metadata[bss_purpose]": "activation",
});

const types = (events: StripeEvent[]) => events.map((e) => e.type);

Deno.test("the Stripe stand-in refuses a missing or wrong API key", async () => {
  await withStandIn(async (s) => {
    const none = await fetch(`${s.url}/v1/customers`, { method: "POST" });
    const noneBody = await none.json();
    assert.equal(none.status, 401);
    assert.equal(noneBody.error.type, "invalid_request_error");
    assert.match(noneBody.error.message, /^You did not provide an API key/);
    assert.match(none.headers.get("request-id") ?? "", /^req_[A-Za-z0-9]+$/);

    const wrong = await fetch(`${s.url}/v1/customers`, {
      method: "POST",
      headers: { authorization: "Bearer sk_test_wrongwrongWXYZ" },
    });
    assert.equal(wrong.status, 401);
    assert.equal(
      (await wrong.json()).error.message,
      "Invalid API Key provided: sk_test_**********WXYZ",
    );
    assert.equal(s.get("cus_anything"), undefined);
    assert.equal(s.events.length, 0);
  });
});

Deno.test("the Stripe stand-in answers unknown ids, routes and params as Stripe does", async () => {
  await withStandIn(async (s) => {
    const missing = await api(s, "GET", "/v1/customers/cus_nope");
    assert.equal(missing.status, 404);
    assert.deepEqual(
      [missing.body.error.type, missing.body.error.code, missing.body.error.param],
      ["invalid_request_error", "resource_missing", "id"],
    );
    assert.equal(missing.body.error.message, "No such customer: 'cus_nope'");

    const { customer } = await customerWithCard(s);
    const noPm = await api(s, "POST", "/v1/payment_methods/pm_nope/attach", { customer });
    assert.equal(noPm.status, 404);
    assert.equal(noPm.body.error.param, "payment_method");

    const noAmount = await api(s, "POST", "/v1/payment_intents", { currency: "eur" });
    assert.equal(noAmount.status, 400);
    assert.deepEqual([noAmount.body.error.code, noAmount.body.error.param], [
      "parameter_missing",
      "amount",
    ]);
    const zero = await api(s, "POST", "/v1/payment_intents", { amount: "0", currency: "eur" });
    assert.equal(zero.body.error.code, "parameter_invalid_integer");
    const unknown = await api(s, "POST", "/v1/customers", { nickname: "x" });
    assert.equal(unknown.body.error.code, "parameter_unknown");

    const route = await api(s, "POST", "/v1/nothing_here");
    assert.equal(route.status, 404);
    assert.match(route.body.error.message, /^Unrecognized request URL/);
  });
});

Deno.test("the Stripe stand-in attaches a test card and charges it off-session", async () => {
  await withStandIn(async (s) => {
    const { customer, pm } = await customerWithCard(s);
    assert.match(customer, /^cus_[A-Za-z0-9]{24}$/);
    assert.match(pm, /^pm_[A-Za-z0-9]{24}$/);
    const stored = s.get(pm)!;
    assert.equal(stored.customer, customer);
    assert.deepEqual(
      [
        (stored.card as Record<string, unknown>).brand,
        (stored.card as Record<string, unknown>).last4,
      ],
      ["visa", "4242"],
    );
    const again = await api(s, "POST", `/v1/payment_methods/${pm}/attach`, { customer });
    assert.equal(again.body.id, pm);
    const other = await api(s, "POST", "/v1/customers", {});
    const taken = await api(s, "POST", `/v1/payment_methods/${pm}/attach`, {
      customer: other.body.id,
    });
    assert.equal(taken.status, 400);
    assert.match(taken.body.error.message, /already been attached to a customer/);

    const before = s.events.length;
    const paid = await api(s, "POST", "/v1/payment_intents", charge(customer, pm));
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    assert.match(paid.headers.get("content-type") ?? "", /^application\/json/);
    const pi = paid.body;
    assert.deepEqual(
      [pi.object, pi.status, pi.amount, pi.amount_received, pi.currency, pi.payment_method],
      ["payment_intent", "succeeded", 1999, 1999, "eur", pm],
    );
    assert.deepEqual(pi.metadata, { bss_purpose: "activation" });
    assert.match(pi.latest_charge, /^ch_/);
    const created = s.events.slice(before);
    assert.deepEqual(types(created), [
      "payment_intent.created",
      "charge.succeeded",
      "payment_intent.succeeded",
    ]);
    const chargeEvent = created[1];
    assert.match(chargeEvent.id, /^evt_/);
    assert.equal(chargeEvent.api_version, "2024-06-20");
    assert.deepEqual(
      [chargeEvent.data.object.id, chargeEvent.data.object.paid, chargeEvent.data.object.status],
      [pi.latest_charge, true, "succeeded"],
    );
    const read = await api(s, "GET", `/v1/payment_intents/${pi.id}`);
    assert.deepEqual(read.body, pi);
  });
});

Deno.test("the Stripe stand-in declines an insufficient-funds card with a 402", async () => {
  await withStandIn(async (s) => {
    const { customer, pm } = await customerWithCard(s, "pm_card_chargeDeclinedInsufficientFunds");
    const before = s.events.length;
    const declined = await api(s, "POST", "/v1/payment_intents", charge(customer, pm));
    assert.equal(declined.status, 402);
    const error = declined.body.error;
    assert.deepEqual(
      [error.type, error.code, error.decline_code, error.message],
      ["card_error", "card_declined", "insufficient_funds", "Your card has insufficient funds."],
    );
    assert.match(error.charge, /^ch_/);
    assert.equal(error.payment_intent.status, "requires_payment_method");
    assert.equal(error.payment_intent.last_payment_error.decline_code, "insufficient_funds");
    assert.deepEqual(types(s.events.slice(before)), [
      "payment_intent.created",
      "charge.failed",
      "payment_intent.payment_failed",
    ]);
  });
});

Deno.test("the Stripe stand-in replays idempotent requests and refuses changed ones", async () => {
  await withStandIn(async (s) => {
    const { customer, pm } = await customerWithCard(s);
    const key = { "idempotency-key": "charge-1" };
    const first = await api(s, "POST", "/v1/payment_intents", charge(customer, pm), key);
    assert.equal(first.status, 200);
    const events = s.events.length;
    const replay = await api(s, "POST", "/v1/payment_intents", charge(customer, pm), key);
    assert.equal(replay.status, 200);
    assert.equal(replay.headers.get("idempotent-replayed"), "true");
    assert.equal(replay.body.id, first.body.id);
    assert.equal(s.events.length, events);
    assert.equal(s.requests.at(-1)!.replayed, true);
    assert.equal(s.requests.at(-1)!.params["metadata[bss_purpose]"], "activation");

    const changed = await api(s, "POST", "/v1/payment_intents", charge(customer, pm, "2000"), key);
    assert.equal(changed.status, 400);
    assert.equal(changed.body.error.type, "idempotency_error");
    assert.equal(s.events.length, events);

    s.failNext(1);
    const retryKey = { "idempotency-key": "charge-2" };
    const failed = await api(s, "POST", "/v1/payment_intents", charge(customer, pm), retryKey);
    assert.equal(failed.status, 500);
    assert.equal(failed.body.error.type, "api_error");
    assert.equal(s.events.length, events);
    const retried = await api(s, "POST", "/v1/payment_intents", charge(customer, pm), retryKey);
    assert.equal(retried.status, 200);
    assert.equal(retried.headers.get("idempotent-replayed"), null);
    assert.equal(retried.body.status, "succeeded");
    assert.notEqual(retried.body.id, first.body.id);

    // A parameter validation error is not saved (the endpoint never ran); a decline is.
    const laterKey = { "idempotency-key": "charge-3" };
    const invalid = await api(s, "POST", "/v1/payment_intents", { currency: "eur" }, laterKey);
    assert.equal(invalid.body.error.code, "parameter_missing");
    const declining = await customerWithCard(s, "pm_card_chargeDeclined");
    const params = charge(declining.customer, declining.pm);
    const declined = await api(s, "POST", "/v1/payment_intents", params, laterKey);
    assert.equal(declined.status, 402);
    assert.equal(declined.body.error.decline_code, "generic_decline");
    const replayed = await api(s, "POST", "/v1/payment_intents", params, laterKey);
    assert.deepEqual([replayed.status, replayed.body], [402, declined.body]);
    assert.equal(replayed.headers.get("idempotent-replayed"), "true");
  });
});

Deno.test("the Stripe stand-in refunds a charge once, then refuses", async () => {
  await withStandIn(async (s) => {
    const { customer, pm } = await customerWithCard(s);
    const pi = (await api(s, "POST", "/v1/payment_intents", charge(customer, pm))).body;
    const refund = await api(s, "POST", "/v1/refunds", { payment_intent: pi.id });
    assert.equal(refund.status, 200, JSON.stringify(refund.body));
    assert.deepEqual(
      [refund.body.object, refund.body.amount, refund.body.charge, refund.body.status],
      ["refund", 1999, pi.latest_charge, "succeeded"],
    );
    const refunded = s.events.at(-1)!;
    assert.equal(refunded.type, "charge.refunded");
    assert.deepEqual(
      [refunded.data.object.amount_refunded, refunded.data.object.refunded],
      [1999, true],
    );
    const again = await api(s, "POST", "/v1/refunds", { payment_intent: pi.id });
    assert.equal(again.status, 400);
    assert.equal(again.body.error.code, "charge_already_refunded");
    assert.throws(() => s.refundFromDashboard(pi.id), /already been refunded/);

    const second = (await api(s, "POST", "/v1/payment_intents", charge(customer, pm))).body;
    const tooMuch = await api(s, "POST", "/v1/refunds", {
      payment_intent: second.id,
      amount: "5000",
    });
    assert.equal(tooMuch.body.error.code, "amount_too_large");
    const dashboard = s.refundFromDashboard(second.id);
    assert.equal(dashboard.type, "charge.refunded");
    assert.equal(s.get(second.latest_charge)!.refunded, true);
    const third = (await api(s, "POST", "/v1/payment_intents", charge(customer, pm))).body;
    const dispute = s.openDispute(third.id);
    assert.equal(dispute.type, "charge.dispute.created");
    assert.deepEqual(
      [dispute.data.object.object, dispute.data.object.charge, dispute.data.object.status],
      ["dispute", third.latest_charge, "needs_response"],
    );
  });
});

Deno.test("stripeSignature is Stripe's t=...,v1=HMAC-SHA256 of `t.payload`", async () => {
  const secret = "whsec_test_fixed_secret";
  const payload = '{"id":"evt_1","object":"event"}';
  const expected = createHmac("sha256", secret).update(`1700000000.${payload}`).digest("hex");
  assert.equal(
    await stripeSignature(payload, secret, 1_700_000_000),
    `t=1700000000,v1=${expected}`,
  );
});

Deno.test("the Stripe stand-in delivers signed webhooks, tampered ones too", async () => {
  const secret = "whsec_receiver_secret";
  const seen: Array<{ header: string; body: string; valid: boolean }> = [];
  const receiver = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const body = await req.text();
    const header = req.headers.get("stripe-signature") ?? "";
    const parts = header.split(",").map((p) => p.split("=", 2));
    const t = parts.find(([k]) => k === "t")?.[1];
    const v1 = parts.filter(([k]) => k === "v1").map(([, v]) => v);
    const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
    const valid = v1.includes(expected);
    seen.push({ header, body, valid });
    return new Response(null, { status: valid ? 200 : 400 });
  });
  const s = await startStripeStandIn();
  try {
    const { customer, pm } = await customerWithCard(s);
    await api(s, "POST", "/v1/payment_intents", charge(customer, pm));
    const event = s.events.find((e) => e.type === "payment_intent.succeeded")!;
    const url = `http://127.0.0.1:${receiver.addr.port}/webhooks/stripe`;

    const ok = await s.deliver(url, event, secret, { at: 1_700_000_000 });
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
    assert.match(seen[0].header, /^t=1700000000,v1=[0-9a-f]{64}/);
    assert.deepEqual(JSON.parse(seen[0].body), event);

    const tampered = await s.deliver(url, event, secret, { tamper: true });
    assert.equal(tampered.status, 400);
    await tampered.body?.cancel();
    assert.notEqual(JSON.parse(seen[1].body).id, event.id);

    const wrongSecret = await s.deliver(url, event, "whsec_someone_else");
    assert.equal(wrongSecret.status, 400);
    await wrongSecret.body?.cancel();
  } finally {
    await s.stop();
    await receiver.shutdown();
  }
});

/** The parameters of a setup-mode Checkout Session for `customer`. */
const setupSession = (customer: string) => ({
  mode: "setup",
  customer,
  success_url: "https://shop.example/done?session={CHECKOUT_SESSION_ID}",
  cancel_url: "https://shop.example/card",
  "payment_method_types[0]": "card",
  "metadata[bss_purpose]": "card_setup",
});

/** Submits the hosted Checkout page with `card`, not following the redirect. */
const submitPage = (url: string, card: string) =>
  fetch(url, { method: "POST", body: new URLSearchParams({ card }), redirect: "manual" });

Deno.test("the Stripe stand-in saves a card through a setup-mode Checkout page", async () => {
  await withStandIn(async (s) => {
    const made = await api(s, "POST", "/v1/customers", { email: "ada@example.test" });
    const customer = made.body.id;
    const created = await api(s, "POST", "/v1/checkout/sessions", setupSession(customer));
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const cs = created.body;
    assert.match(cs.id, /^cs_test_[A-Za-z0-9]{58}$/);
    assert.deepEqual(
      [cs.object, cs.mode, cs.status, cs.customer, cs.setup_intent, cs.url],
      ["checkout.session", "setup", "open", customer, null, `${s.url}/c/pay/${cs.id}`],
    );
    assert.deepEqual(cs.metadata, { bss_purpose: "card_setup" });
    assert.equal(cs.expires_at, cs.created + 86_400);

    const page = await fetch(cs.url);
    const html = await page.text();
    assert.equal(page.status, 200);
    assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8");
    assert.match(html, /<title>Stripe stand-in — test mode checkout<\/title>/);
    assert.ok(html.includes(`<form method="post" action="/c/pay/${cs.id}">`), html);
    assert.ok(html.includes('value="pm_card_visa" checked> Visa •••• 4242'), html);
    assert.ok(html.includes('value="pm_card_chargeDeclinedInsufficientFunds"'), html);
    assert.ok(html.includes('<button type="submit">Save card</button>'), html);
    assert.ok(html.includes('<a href="https://shop.example/card">Back</a>'), html);

    const before = s.events.length;
    const posted = await submitPage(cs.url, "pm_card_mastercard");
    await posted.body?.cancel();
    assert.equal(posted.status, 303);
    assert.equal(posted.headers.get("location"), `https://shop.example/done?session=${cs.id}`);
    assert.deepEqual(types(s.events.slice(before)), [
      "payment_method.attached",
      "setup_intent.succeeded",
      "checkout.session.completed",
    ]);

    const read = await api(s, "GET", `/v1/checkout/sessions/${cs.id}`, {
      "expand[]": "setup_intent",
    });
    assert.equal(read.status, 200, JSON.stringify(read.body));
    const seti = read.body.setup_intent;
    assert.equal(read.body.status, "complete");
    assert.match(seti.id, /^seti_/);
    assert.deepEqual(
      [seti.object, seti.status, seti.customer, seti.usage],
      ["setup_intent", "succeeded", customer, "off_session"],
    );
    assert.equal(s.get(cs.id)!.setup_intent, seti.id);
    assert.equal(s.get(seti.id)!.payment_method, seti.payment_method);
    const pm = s.get(seti.payment_method)!;
    assert.match(pm.id as string, /^pm_[A-Za-z0-9]{24}$/);
    assert.equal(pm.customer, customer);
    assert.equal((pm.card as Record<string, unknown>).brand, "mastercard");
    const paid = await api(s, "POST", "/v1/payment_intents", charge(customer, pm.id as string));
    assert.equal(paid.body.status, "succeeded");

    const again = await submitPage(cs.url, "pm_card_visa");
    assert.equal(again.status, 410);
    assert.match(await again.text(), /This checkout session is no longer open/);
    const closed = await fetch(cs.url);
    assert.equal(closed.status, 410);
    await closed.body?.cancel();

    const second = (await api(s, "POST", "/v1/checkout/sessions", setupSession(customer))).body;
    const badCard = await submitPage(second.url, "pm_card_nope");
    assert.equal(badCard.status, 400);
    await badCard.body?.cancel();
    assert.equal(s.completeCheckout(second.id), `https://shop.example/done?session=${second.id}`);
    assert.equal(s.get(second.id)!.status, "complete");
    assert.throws(() => s.completeCheckout(second.id), /not open/);
    assert.throws(() => s.completeCheckout("cs_test_nope"), /unknown/);

    const third = (await api(s, "POST", "/v1/checkout/sessions", setupSession(customer))).body;
    assert.equal(s.expireCheckout(third.id).type, "checkout.session.expired");
    assert.equal(s.get(third.id)!.status, "expired");
    const expired = await fetch(third.url);
    assert.equal(expired.status, 410);
    await expired.body?.cancel();
  });
});

Deno.test("the Stripe stand-in refuses unknown and invalid Checkout Sessions", async () => {
  await withStandIn(async (s) => {
    const unknown = await api(s, "GET", "/v1/checkout/sessions/cs_x");
    assert.equal(unknown.status, 404);
    assert.deepEqual(
      [unknown.body.error.code, unknown.body.error.param, unknown.body.error.message],
      ["resource_missing", "session", "No such checkout.session: 'cs_x'"],
    );
    const page = await fetch(`${s.url}/c/pay/cs_x`);
    assert.equal(page.status, 404);
    await page.body?.cancel();

    const noCustomer = await api(s, "POST", "/v1/checkout/sessions", setupSession("cus_nope"));
    assert.equal(noCustomer.status, 404);
    assert.deepEqual(
      [noCustomer.body.error.code, noCustomer.body.error.param],
      ["resource_missing", "customer"],
    );
    const customer = (await api(s, "POST", "/v1/customers", {})).body.id;
    const payment = await api(s, "POST", "/v1/checkout/sessions", {
      ...setupSession(customer),
      mode: "payment",
    });
    assert.deepEqual([payment.status, payment.body.error.param], [400, "mode"]);
    const badUrl = await api(s, "POST", "/v1/checkout/sessions", {
      ...setupSession(customer),
      success_url: "shop.example/done",
    });
    assert.deepEqual([badUrl.status, badUrl.body.error.code], [400, "url_invalid"]);
    const { success_url: _, ...rest } = setupSession(customer);
    const noUrl = await api(s, "POST", "/v1/checkout/sessions", rest);
    assert.deepEqual([noUrl.body.error.code, noUrl.body.error.param], [
      "parameter_missing",
      "success_url",
    ]);
    assert.equal(s.events.filter((e) => e.type.startsWith("checkout.")).length, 0);
  });
});
