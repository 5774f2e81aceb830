/**
 * Charges over HTTP: each test card from the tokenizer through a card on file to a charge,
 * zero amounts, gateway errors, idempotent replay (sequential and concurrent), history, and
 * every charge rule of docs/domain.md §4.4.
 */
import assert from "node:assert/strict";
import type { ChargeRequest, PaymentGateway } from "../actors/payment/gateway.ts";
import { MockGateway } from "../actors/payment/mock_gateway.ts";
import { tokenizeCard } from "../actors/payment/mock_tokenizer.ts";
import { endpoints } from "../http/payment/index.ts";
import { getPaymentMethod, removePaymentMethod } from "../http/payment/payment_methods.ts";
import {
  createPayment,
  getPaymentAttempt,
  listCustomerPayments,
} from "../http/payment/payments.ts";
import { NotFound, PolicyViolation } from "../kernel/errors.ts";
import { freshDatabase } from "./support/db.ts";
import { reply, serveTest, type TestServer } from "./support/http.ts";
import { eventsOf, violation } from "./support/assert.ts";

/** The mock gateway, counting calls and pausing in each so concurrent charges overlap. */
class CountingGateway implements PaymentGateway {
  readonly provider = "mock";
  readonly calls: ChargeRequest[] = [];
  #inner = new MockGateway();
  async charge(request: ChargeRequest) {
    this.calls.push(request);
    await new Promise((r) => setTimeout(r, 20));
    return await this.#inner.charge(request);
  }
}

const db = await freshDatabase("payment_charges");
const gateway = new CountingGateway();
const server = serveTest({
  sql: db.sql,
  service: "payment",
  endpoints: endpoints({ sql: db.sql }, { gateway }),
});

const METHODS = "/tmf-api/paymentMethodManagement/v4/paymentMethod";
const PAYMENTS = "/tmf-api/paymentManagement/v4/payment";
let customers = 0;
const newCustomer = () => `CUST-${(++customers).toString(16).padStart(8, "0")}`;

/** A customer with `cardNumber` on file (through the tokenizer): [customerId, methodId]. */
async function cardOnFile(cardNumber = "4242 4242 4242 4242", on: TestServer = server) {
  const customerId = newCustomer();
  const card = tokenizeCard({ cardNumber, expMonth: 12, expYear: 2099 });
  const r = await reply(
    await on.request(METHODS, { method: "POST", json: { customerId, ...card } }),
  );
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return [customerId, r.body.id as string];
}

async function pay(json: unknown, headers: Record<string, string> = {}, on = server) {
  return await reply(await on.request(PAYMENTS, { method: "POST", json, headers }));
}

/** A charge of `amount` for activation against a customer's card. */
const chargeOf = (customerId: string, paymentMethodId: string, amount = "25.00") => ({
  customerId,
  paymentMethodId,
  amount,
  purpose: "activation",
});

Deno.test("4242 4242 4242 4242 approves: 201, Location, the Payment shape, payment.charged", async () => {
  const [customerId, methodId] = await cardOnFile();
  const calls = gateway.calls.length;
  const r = await server.request(PAYMENTS, {
    method: "POST",
    json: { ...chargeOf(customerId, methodId, "25"), currency: "SGD" },
  });
  const body = await r.json();
  assert.equal(r.status, 201);
  assert.match(body.id, /^PAY-\d{6,}$/);
  assert.equal(r.headers.get("location"), `${PAYMENTS}/${body.id}`);
  assert.match(body.gatewayRef, /^mock_[0-9a-f-]{36}$/);
  assert.deepEqual({ ...body, gatewayRef: undefined, attemptedAt: undefined }, {
    "@type": "Payment",
    id: body.id,
    href: `${PAYMENTS}/${body.id}`,
    customerId,
    paymentMethodId: methodId,
    amount: "25.00",
    currency: "SGD",
    purpose: "activation",
    status: "approved",
    gatewayRef: undefined,
    declineReason: null,
    declineCode: null,
    attemptedAt: undefined,
  });
  assert.equal(gateway.calls.length, calls + 1);
  assert.equal(gateway.calls.at(-1)!.idempotencyKey, `ATT-${body.id}-r0`);
  assert.deepEqual(await eventsOf(db.sql, body.id), [{
    event_type: "payment.charged",
    payload: {
      customer_id: customerId,
      payment_method_id: methodId,
      amount: "25.00",
      currency: "SGD",
      purpose: "activation",
      status: "approved",
      gateway_ref: body.gatewayRef,
      provider_call_id: null,
      decline_code: null,
    },
  }]);
  const read = await reply(await server.request(`${PAYMENTS}/${body.id}`));
  assert.deepEqual(read, { status: 200, body });
});

Deno.test("4000 0000 0000 0002 declines (card_declined): still 201, payment.declined", async () => {
  const [customerId, methodId] = await cardOnFile("4000 0000 0000 0002");
  const r = await pay(chargeOf(customerId, methodId));
  assert.equal(r.status, 201);
  assert.deepEqual([r.body.status, r.body.declineReason, r.body.declineCode], [
    "declined",
    "card_declined_by_issuer",
    "card_declined",
  ]);
  assert.match(r.body.gatewayRef, /^mock_/);
  const [event] = await eventsOf(db.sql, r.body.id);
  assert.equal(event.event_type, "payment.declined");
  assert.deepEqual([event.payload.status, event.payload.decline_code], [
    "declined",
    "card_declined",
  ]);
});

Deno.test("4000 0000 0000 9995 declines for insufficient funds", async () => {
  const [customerId, methodId] = await cardOnFile("4000-0000-0000-9995");
  const r = await pay({ ...chargeOf(customerId, methodId), purpose: "renewal" });
  assert.deepEqual([r.status, r.body.status, r.body.declineReason, r.body.declineCode], [
    201,
    "declined",
    "insufficient_funds",
    "insufficient_funds",
  ]);
  assert.equal((await eventsOf(db.sql, r.body.id))[0].payload.decline_code, "insufficient_funds");
});

Deno.test("any other Luhn-valid card approves", async () => {
  const [customerId, methodId] = await cardOnFile("5555 5555 5555 4444");
  const r = await pay({ ...chargeOf(customerId, methodId, "3.5"), purpose: "vas" });
  assert.deepEqual([r.status, r.body.status, r.body.amount], [201, "approved", "3.50"]);
});

Deno.test("a zero amount approves without calling the gateway, recorded as such", async () => {
  const [customerId, methodId] = await cardOnFile("4000 0000 0000 0002");
  const calls = gateway.calls.length;
  const r = await pay(chargeOf(customerId, methodId, "0"));
  assert.deepEqual([r.status, r.body.status, r.body.amount, r.body.gatewayRef], [
    201,
    "approved",
    "0.00",
    null,
  ]);
  assert.equal(gateway.calls.length, calls);
  const [event] = await eventsOf(db.sql, r.body.id);
  assert.deepEqual([event.event_type, event.payload.amount, event.payload.gateway_ref], [
    "payment.charged",
    "0.00",
    null,
  ]);
});

Deno.test("a gateway that fails records an errored attempt and payment.errored", async () => {
  const broken: PaymentGateway = {
    provider: "mock",
    charge: () => Promise.reject(new Error("connection reset")),
  };
  const other = serveTest({
    sql: db.sql,
    service: "payment",
    endpoints: endpoints({ sql: db.sql }, { gateway: broken }),
  });
  try {
    const [customerId, methodId] = await cardOnFile(undefined, other);
    const r = await pay(chargeOf(customerId, methodId), {}, other);
    assert.deepEqual([r.status, r.body.status, r.body.declineReason, r.body.gatewayRef], [
      201,
      "errored",
      "gateway_error",
      null,
    ]);
    assert.equal((await eventsOf(db.sql, r.body.id))[0].event_type, "payment.errored");
  } finally {
    await other.stop();
  }
});

Deno.test("a repeated idempotency key returns the first attempt and charges once", async () => {
  const [customerId, methodId] = await cardOnFile();
  const calls = gateway.calls.length;
  const json = { ...chargeOf(customerId, methodId), idempotencyKey: `activation:${customerId}` };
  const first = await pay(json);
  const again = await pay(json);
  assert.deepEqual(again, first);
  assert.equal(gateway.calls.length, calls + 1);
  assert.equal(gateway.calls.at(-1)!.idempotencyKey, `activation:${customerId}`);
  assert.equal((await eventsOf(db.sql, first.body.id)).length, 1);

  // The Idempotency-Key header is the same key; snake_case in the body too.
  const header = await pay(chargeOf(customerId, methodId), {
    "Idempotency-Key": json.idempotencyKey,
  });
  assert.deepEqual(header, first);
  const snake = await pay({
    customer_id: customerId,
    payment_method_id: methodId,
    amount: "25.00",
    purpose: "activation",
    idempotency_key: json.idempotencyKey,
  });
  assert.deepEqual(snake, first);
  assert.equal(gateway.calls.length, calls + 1);

  // The first answer stands even after the card is gone.
  const removed = await server.request(`${METHODS}/${methodId}`, { method: "DELETE" });
  assert.equal(removed.status, 204);
  assert.deepEqual(await pay(json), first);
  const count = await reply(await server.request(`${PAYMENTS}/count?customerId=${customerId}`));
  assert.deepEqual(count.body, { count: 1 });
});

Deno.test("a declined attempt replays as declined", async () => {
  const [customerId, methodId] = await cardOnFile("4000000000000002");
  const json = { ...chargeOf(customerId, methodId), idempotencyKey: `renewal:${customerId}:1` };
  const first = await pay(json);
  assert.equal(first.body.status, "declined");
  assert.deepEqual(await pay(json), first);
});

Deno.test("concurrent charges with one key: one gateway call, one attempt", async () => {
  const [customerId, methodId] = await cardOnFile();
  const calls = gateway.calls.length;
  const json = { ...chargeOf(customerId, methodId), idempotencyKey: `vas:${customerId}` };
  const replies = await Promise.all(Array.from({ length: 6 }, () => pay(json)));
  assert.deepEqual(new Set(replies.map((r) => r.status)), new Set([201]));
  assert.equal(new Set(replies.map((r) => r.body.id)).size, 1);
  assert.equal(gateway.calls.length, calls + 1);
  const [{ n }] = await db.sql`
    select count(*)::int as n from payment.payment_attempt where customer_id = ${customerId}`;
  assert.equal(n, 1);
});

Deno.test("without a key, each call is its own attempt", async () => {
  const [customerId, methodId] = await cardOnFile();
  const a = await pay(chargeOf(customerId, methodId));
  const b = await pay(chargeOf(customerId, methodId));
  assert.notEqual(a.body.id, b.body.id);
});

Deno.test("payment.charge.idempotency_key_reused: a key names one charge", async () => {
  const [customerId, methodId] = await cardOnFile();
  const key = `activation:${customerId}:x`;
  await pay({ ...chargeOf(customerId, methodId), idempotencyKey: key });
  const r = await pay({ ...chargeOf(customerId, methodId, "30.00"), idempotencyKey: key });
  assert.deepEqual(violation(r, "payment.charge.idempotency_key_reused"), {
    idempotency_key: key,
    differing_fields: ["amount"],
  });
});

Deno.test("header and body keys that disagree are a validation error", async () => {
  const [customerId, methodId] = await cardOnFile();
  const r = await pay({ ...chargeOf(customerId, methodId), idempotencyKey: "a" }, {
    "Idempotency-Key": "b",
  });
  assert.deepEqual([r.status, r.body.code], [422, "VALIDATION_ERROR"]);
  assert.deepEqual(r.body.issues[0].path, ["headers", "Idempotency-Key"]);
  const bad = await pay(chargeOf(customerId, methodId), { "Idempotency-Key": "has space" });
  assert.deepEqual([bad.status, bad.body.code], [422, "VALIDATION_ERROR"]);
});

Deno.test("payment.charge.method_not_found", async () => {
  const r = await pay(chargeOf(newCustomer(), "PM-9999"));
  assert.deepEqual(violation(r, "payment.charge.method_not_found"), {
    payment_method_id: "PM-9999",
  });
});

Deno.test("payment.charge.customer_matches_method", async () => {
  const [owner, methodId] = await cardOnFile();
  const stranger = newCustomer();
  const r = await pay(chargeOf(stranger, methodId));
  assert.deepEqual(violation(r, "payment.charge.customer_matches_method"), {
    requested_customer_id: stranger,
    method_customer_id: owner,
    payment_method_id: methodId,
  });
});

Deno.test("payment.charge.method_active", async () => {
  const [customerId, methodId] = await cardOnFile();
  await (await server.request(`${METHODS}/${methodId}`, { method: "DELETE" })).body?.cancel();
  const r = await pay(chargeOf(customerId, methodId));
  assert.deepEqual(violation(r, "payment.charge.method_active"), {
    payment_method_id: methodId,
    status: "removed",
  });
});

Deno.test("payment.charge.positive_amount: negative amounts are refused", async () => {
  const [customerId, methodId] = await cardOnFile();
  const r = await pay(chargeOf(customerId, methodId, "-5"));
  assert.deepEqual(violation(r, "payment.charge.positive_amount"), { amount: "-5.00" });
});

Deno.test("payment.charge.token_provider_matches_active: mock cards after a cutover", async () => {
  const [customerId, methodId] = await cardOnFile();
  const stripe: PaymentGateway = {
    provider: "stripe",
    charge: () => Promise.reject(new Error("not called")),
  };
  const cutOver = serveTest({
    sql: db.sql,
    service: "payment",
    endpoints: endpoints({ sql: db.sql }, { gateway: stripe }),
  });
  try {
    const r = await pay(chargeOf(customerId, methodId), {}, cutOver);
    assert.deepEqual(violation(r, "payment.charge.token_provider_matches_active"), {
      payment_method_id: methodId,
      row_token_provider: "mock",
      active_adapter: "stripe",
      expected_token_provider: "stripe",
    });
  } finally {
    await cutOver.stop();
  }
});

Deno.test("bad charge bodies are 422 VALIDATION_ERROR", async () => {
  const [customerId, methodId] = await cardOnFile();
  const good = chargeOf(customerId, methodId);
  const cases: Array<[string, unknown]> = [
    ["no body", undefined],
    ["three decimals", { ...good, amount: "12.345" }],
    ["a number amount", { ...good, amount: 25 }],
    ["a word amount", { ...good, amount: "ten" }],
    ["unknown purpose", { ...good, purpose: "gift" }],
    ["lower-case currency", { ...good, currency: "sgd" }],
    ["no method", { ...good, paymentMethodId: undefined }],
  ];
  for (const [name, json] of cases) {
    const r = await pay(json);
    assert.deepEqual([r.status, r.body.code], [422, "VALIDATION_ERROR"], name);
  }
});

Deno.test("history: newest first, paged, counted; unknown id 404", async () => {
  const [customerId, methodId] = await cardOnFile();
  const ids = [];
  for (const amount of ["1.00", "2.00", "3.00"]) {
    ids.push((await pay(chargeOf(customerId, methodId, amount))).body.id);
  }
  const all = await reply(await server.request(`${PAYMENTS}?customerId=${customerId}`));
  assert.deepEqual(all.body.map((p: { id: string }) => p.id), ids.toReversed());
  const page = await reply(
    await server.request(`${PAYMENTS}?customerId=${customerId}&limit=1&offset=1`),
  );
  assert.deepEqual(page.body.map((p: { id: string }) => p.id), [ids[1]]);
  const count = await reply(await server.request(`${PAYMENTS}/count?customerId=${customerId}`));
  assert.deepEqual(count, { status: 200, body: { count: 3 } });
  const unknown = await reply(await server.request(`${PAYMENTS}/PAY-999999`));
  assert.deepEqual([unknown.status, unknown.body.code], [404, "NOT_FOUND"]);
  const noCustomer = await reply(await server.request(PAYMENTS));
  assert.deepEqual([noCustomer.status, noCustomer.body.code], [422, "VALIDATION_ERROR"]);
  const badLimit = await reply(await server.request(`${PAYMENTS}?customerId=x&limit=0`));
  assert.deepEqual([badLimit.status, badLimit.body.code], [422, "VALIDATION_ERROR"]);
});

Deno.test("the typed client calls the same routes, errors included", async () => {
  const [customerId, paymentMethodId] = await cardOnFile();
  const client = server.client();
  const body = { customerId, paymentMethodId, amount: "9.90", purpose: "vas" as const };
  const paid = await client.call(createPayment, { body: { ...body, idempotencyKey: "typed:1" } });
  assert.deepEqual([paid.status, paid.amount, paid.currency], ["approved", "9.90", "SGD"]);
  assert.deepEqual(
    await client.call(createPayment, { body: { ...body, idempotencyKey: "typed:1" } }),
    paid,
  );
  assert.deepEqual(await client.call(listCustomerPayments, { query: { customerId } }), [paid]);
  assert.equal(
    (await client.call(getPaymentMethod, { params: { id: paymentMethodId } })).isDefault,
    true,
  );
  await assert.rejects(
    client.call(createPayment, { body: { ...body, paymentMethodId: "PM-9999" } }),
    (e) => e instanceof PolicyViolation && e.rule === "payment.charge.method_not_found",
  );
  await assert.rejects(client.call(getPaymentAttempt, { params: { id: "PAY-999999" } }), NotFound);
  await client.call(removePaymentMethod, { params: { id: paymentMethodId } });
});

Deno.test({
  name: "teardown",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await server.stop();
    await db.drop();
  },
});
