/**
 * Payment methods over HTTP: tokenized cards go on file, one default per customer, the cap,
 * removal, and every add/remove/set-default rule of docs/domain.md §4.4.
 */
import assert from "node:assert/strict";
import { mockToken } from "../actors/payment/mock_tokens.ts";
import { tokenizeCard } from "../actors/payment/mock_tokenizer.ts";
import type { PaymentGateway } from "../actors/payment/gateway.ts";
import { clock } from "../kernel/clock.ts";
import { endpoints } from "../http/payment/index.ts";
import { freshDatabase } from "./support/db.ts";
import { reply, serveTest } from "./support/http.ts";
import { eventsOf, violation } from "./support/assert.ts";

const db = await freshDatabase("payment_methods");
/** CRM status per customer (default active; `CUST-gone…` unknown) and active lines. */
const statuses = new Map<string, string>();
const lines = new Map<string, number>();
const lookups = {
  customerStatus: (id: string) =>
    Promise.resolve(id.startsWith("CUST-gone") ? null : statuses.get(id) ?? "active"),
  activeSubscriptionCount: (id: string) => Promise.resolve(lines.get(id) ?? 0),
};
const server = serveTest({
  sql: db.sql,
  service: "payment",
  endpoints: endpoints({ sql: db.sql }, lookups),
});

const METHODS = "/tmf-api/paymentMethodManagement/v4/paymentMethod";
let customers = 0;
const newCustomer = () => `CUST-${(++customers).toString(16).padStart(8, "0")}`;

/** Tokenizes `cardNumber` and puts it on file for `customerId`. */
async function addCard(customerId: string, cardNumber = "4242 4242 4242 4242") {
  const card = tokenizeCard({ cardNumber, expMonth: 12, expYear: 2099 });
  return await reply(
    await server.request(METHODS, { method: "POST", json: { customerId, ...card } }),
  );
}

async function post(path: string, json?: unknown) {
  return await reply(await server.request(path, { method: "POST", json }));
}

async function remove(id: string) {
  const r = await server.request(`${METHODS}/${id}`, { method: "DELETE" });
  return { status: r.status, body: r.status === 204 ? null : await r.json() };
}

async function list(customerId: string) {
  return (await reply(await server.request(`${METHODS}?customerId=${customerId}`))).body;
}

Deno.test("a tokenized card goes on file: 201, Location, the documented shape, an event", async () => {
  const customerId = newCustomer();
  const r = await server.request(METHODS, {
    method: "POST",
    json: {
      customerId,
      ...tokenizeCard({ cardNumber: "4242424242424242", expMonth: 8, expYear: 2099 }),
    },
  });
  const body = await r.json();
  assert.equal(r.status, 201);
  assert.equal(r.headers.get("location"), `${METHODS}/${body.id}`);
  assert.match(body.id, /^PM-\d{4,}$/);
  assert.match(body.providerToken, /^tok_[0-9a-f-]{36}$/);
  assert.deepEqual({ ...body, id: undefined, providerToken: undefined, createdAt: undefined }, {
    "@type": "PaymentMethod",
    id: undefined,
    href: `${METHODS}/${body.id}`,
    customerId,
    type: "card",
    tokenizationProvider: "mock",
    providerToken: undefined,
    cardSummary: { brand: "visa", last4: "4242", expMonth: 8, expYear: 2099, country: null },
    isDefault: true,
    status: "active",
    createdAt: undefined,
  });
  assert.equal(body.createdAt, new Date(body.createdAt).toISOString());
  assert.deepEqual(await eventsOf(db.sql, body.id), [{
    event_type: "payment_method.added",
    payload: {
      customer_id: customerId,
      brand: "visa",
      last4: "4242",
      tokenization_provider: "mock",
      token_provider: "mock",
    },
  }]);
});

Deno.test("list: only active cards, newest first; get shows any state", async () => {
  const customerId = newCustomer();
  const ids = [];
  for (const pan of ["4242424242424242", "5555555555554444", "378282246310005"]) {
    ids.push((await addCard(customerId, pan)).body.id);
  }
  assert.equal((await remove(ids[1])).status, 204);
  const active = await list(customerId);
  assert.deepEqual(active.map((m: { id: string }) => m.id), [ids[2], ids[0]]);
  assert.deepEqual(active.map((m: { cardSummary: { brand: string } }) => m.cardSummary.brand), [
    "amex",
    "visa",
  ]);
  const removed = await reply(await server.request(`${METHODS}/${ids[1]}`));
  assert.deepEqual([removed.status, removed.body.status, removed.body.isDefault], [
    200,
    "removed",
    false,
  ]);
  assert.deepEqual(await list(newCustomer()), []);
});

Deno.test("an unknown id is 404 on get, delete and setDefault", async () => {
  for (
    const r of [
      await reply(await server.request(`${METHODS}/PM-9999`)),
      await remove("PM-9999"),
      await post(`${METHODS}/PM-9999/setDefault`),
    ]
  ) {
    assert.deepEqual([r.status, r.body?.code, r.body?.id], [404, "NOT_FOUND", "PM-9999"]);
  }
});

Deno.test("the first card is the default; setDefault moves it and clears the others", async () => {
  const customerId = newCustomer();
  const first = (await addCard(customerId)).body;
  const second = (await addCard(customerId)).body;
  assert.deepEqual([first.isDefault, second.isDefault], [true, false]);

  const moved = await post(`${METHODS}/${second.id}/setDefault`);
  assert.deepEqual([moved.status, moved.body.id, moved.body.isDefault], [200, second.id, true]);
  const defaults = (await list(customerId)).filter((m: { isDefault: boolean }) => m.isDefault);
  assert.deepEqual(defaults.map((m: { id: string }) => m.id), [second.id]);
  assert.deepEqual((await eventsOf(db.sql, second.id)).map((e) => e.event_type), [
    "payment_method.added",
    "payment_method.default_changed",
  ]);
  assert.deepEqual((await eventsOf(db.sql, second.id))[1].payload, {
    customer_id: customerId,
    last4: "4242",
  });

  // Already the default: same answer, nothing emitted.
  assert.equal((await post(`${METHODS}/${second.id}/setDefault`)).body.isDefault, true);
  assert.equal((await eventsOf(db.sql, second.id)).length, 2);
});

Deno.test("removing the default passes it to the newest remaining card", async () => {
  const customerId = newCustomer();
  const a = (await addCard(customerId)).body;
  const b = (await addCard(customerId, "5555555555554444")).body;
  const c = (await addCard(customerId, "378282246310005")).body;
  assert.equal((await remove(a.id)).status, 204);
  const after = await list(customerId);
  assert.deepEqual(after.map((m: { id: string; isDefault: boolean }) => [m.id, m.isDefault]), [
    [c.id, true],
    [b.id, false],
  ]);
  assert.deepEqual((await eventsOf(db.sql, a.id))[1], {
    event_type: "payment_method.removed",
    payload: { customer_id: customerId, last4: "4242" },
  });
  assert.deepEqual((await eventsOf(db.sql, c.id)).map((e) => e.event_type), [
    "payment_method.added",
    "payment_method.default_changed",
  ]);
});

Deno.test("payment_method.add.customer_exists and customer_active_or_pending", async () => {
  const card = tokenizeCard({ cardNumber: "4242424242424242", expMonth: 1, expYear: 2099 });
  const gone = await post(METHODS, { customerId: "CUST-gone0001", ...card });
  assert.deepEqual(violation(gone, "payment_method.add.customer_exists"), {
    customer_id: "CUST-gone0001",
  });

  const closed = newCustomer();
  statuses.set(closed, "closed");
  const r = await post(METHODS, { customerId: closed, ...card });
  assert.deepEqual(violation(r, "payment_method.add.customer_active_or_pending"), {
    customer_id: closed,
    status: "closed",
  });

  const pending = newCustomer();
  statuses.set(pending, "pending");
  assert.equal((await post(METHODS, { customerId: pending, ...card })).status, 201);
});

Deno.test("payment.method.add.no_tokenizer: a stripe token without a Stripe adapter", async () => {
  const customerId = newCustomer();
  const r = await post(METHODS, {
    customerId,
    tokenizationProvider: "stripe",
    providerToken: "pm_1PqRsTuVwXyZ",
    cardSummary: { brand: "visa", last4: "4242", expMonth: 1, expYear: 2099 },
  });
  assert.deepEqual(violation(r, "payment.method.add.no_tokenizer"), {
    customer_id: customerId,
    tokenization_provider: "stripe",
    active_adapter: "mock",
  });
});

Deno.test("payment_method.add.card_not_expired: last month is refused, this month is fine", async () => {
  const now = clock.now();
  const [year, month] = [now.getUTCFullYear(), now.getUTCMonth() + 1];
  const last = month === 1
    ? { expMonth: 12, expYear: year - 1 }
    : { expMonth: month - 1, expYear: year };
  const body = (exp: { expMonth: number; expYear: number }) => ({
    customerId: newCustomer(),
    tokenizationProvider: "mock",
    providerToken: mockToken("approve"),
    cardSummary: { brand: "visa", last4: "4242", ...exp },
  });
  const r = await post(METHODS, body(last));
  assert.deepEqual(violation(r, "payment_method.add.card_not_expired"), {
    exp_month: last.expMonth,
    exp_year: last.expYear,
  });
  assert.equal((await post(METHODS, body({ expMonth: month, expYear: year }))).status, 201);
});

Deno.test("payment_method.add.at_most_n_methods: five active cards, also under concurrency", async () => {
  const customerId = newCustomer();
  const results = await Promise.all(Array.from({ length: 7 }, () => addCard(customerId)));
  assert.deepEqual(results.map((r) => r.status).sort(), [201, 201, 201, 201, 201, 422, 422]);
  const refused = results.find((r) => r.status === 422)!;
  assert.deepEqual(violation(refused, "payment_method.add.at_most_n_methods"), {
    customer_id: customerId,
    current_count: 5,
    max: 5,
  });
  const active = await list(customerId);
  assert.equal(active.length, 5);
  assert.equal(active.filter((m: { isDefault: boolean }) => m.isDefault).length, 1);
  // A removed card frees a place.
  assert.equal((await remove(active[0].id)).status, 204);
  assert.equal((await addCard(customerId)).status, 201);
});

Deno.test("payment_method.add.duplicate_token: a token goes on file once", async () => {
  const card = tokenizeCard({ cardNumber: "4242424242424242", expMonth: 1, expYear: 2099 });
  const first = newCustomer();
  assert.equal((await post(METHODS, { customerId: first, ...card })).status, 201);
  const other = newCustomer();
  const r = await post(METHODS, { customerId: other, ...card });
  assert.deepEqual(violation(r, "payment_method.add.duplicate_token"), { customer_id: other });
});

Deno.test("payment_method.remove.already_removed and set_default.removed", async () => {
  const customerId = newCustomer();
  await addCard(customerId);
  const card = (await addCard(customerId)).body;
  assert.equal((await remove(card.id)).status, 204);
  const again = await remove(card.id);
  assert.deepEqual(violation(again, "payment_method.remove.already_removed"), {
    payment_method_id: card.id,
    status: "removed",
  });
  const r = await post(`${METHODS}/${card.id}/setDefault`);
  assert.deepEqual(violation(r, "payment_method.set_default.removed"), {
    payment_method_id: card.id,
    status: "removed",
  });
});

Deno.test("payment_method.remove.not_last_if_active_subscription (injected line count)", async () => {
  const customerId = newCustomer();
  const a = (await addCard(customerId)).body;
  const b = (await addCard(customerId)).body;
  lines.set(customerId, 1);
  // Not the last card: allowed even with an active line.
  assert.equal((await remove(a.id)).status, 204);
  const r = await remove(b.id);
  assert.deepEqual(violation(r, "payment_method.remove.not_last_if_active_subscription"), {
    payment_method_id: b.id,
    customer_id: customerId,
    active_subscriptions: 1,
  });
  assert.equal((await list(customerId)).length, 1);
  // Without active lines the last card may go.
  lines.set(customerId, 0);
  assert.equal((await remove(b.id)).status, 204);
});

Deno.test("bad bodies are 422 VALIDATION_ERROR, and nothing is stored", async () => {
  const good = {
    customerId: newCustomer(),
    tokenizationProvider: "mock",
    providerToken: mockToken("approve"),
    cardSummary: { brand: "visa", last4: "4242", expMonth: 1, expYear: 2099 },
  };
  const summary = good.cardSummary;
  const cases: Array<[string, unknown]> = [
    ["no body", undefined],
    ["last4 of three digits", { ...good, cardSummary: { ...summary, last4: "424" } }],
    ["month 13", { ...good, cardSummary: { ...summary, expMonth: 13 } }],
    ["year 1999", { ...good, cardSummary: { ...summary, expYear: 1999 } }],
    ["unknown provider", { ...good, tokenizationProvider: "paypal" }],
    ["a type other than card", { ...good, type: "bank" }],
    ["a malformed mock token", { ...good, providerToken: "tok_not-a-uuid" }],
    ["a card number as token", { ...good, providerToken: "4242424242424242" }],
    ["a card number inside a token", { ...good, providerToken: "pm_4242424242424242" }],
  ];
  for (const [name, json] of cases) {
    const r = await post(METHODS, json);
    assert.deepEqual([r.status, r.body.code], [422, "VALIDATION_ERROR"], name);
  }
  const malformed = await reply(
    await server.request(METHODS, {
      method: "POST",
      body: "{",
      headers: { "content-type": "application/json" },
    }),
  );
  assert.deepEqual([malformed.status, malformed.body.code], [400, "MALFORMED_JSON"]);
  assert.deepEqual(await list(good.customerId), []);
  const missing = await reply(await server.request(METHODS));
  assert.deepEqual([missing.status, missing.body.code], [422, "VALIDATION_ERROR"]);
});

Deno.test("a body may spell its keys in snake_case", async () => {
  const customer_id = newCustomer();
  const r = await post(METHODS, {
    customer_id,
    tokenization_provider: "mock",
    provider_token: mockToken("approve"),
    card_summary: { brand: "visa", last4: "1881", exp_month: 3, exp_year: 2099 },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.deepEqual([r.body.customerId, r.body.cardSummary.last4, r.body.cardSummary.expMonth], [
    customer_id,
    "1881",
    3,
  ]);
});

Deno.test("the gateway in use decides which tokens may go on file", async () => {
  const stripe: PaymentGateway = {
    provider: "stripe",
    charge: () => Promise.reject(new Error("not called")),
  };
  const stripeServer = serveTest({
    sql: db.sql,
    service: "payment",
    endpoints: endpoints({ sql: db.sql }, { ...lookups, gateway: stripe }),
  });
  try {
    const customerId = newCustomer();
    const card = tokenizeCard({ cardNumber: "4242424242424242", expMonth: 1, expYear: 2099 });
    const r = await reply(
      await stripeServer.request(METHODS, { method: "POST", json: { customerId, ...card } }),
    );
    violation(r, "payment.method.add.no_tokenizer");
  } finally {
    await stripeServer.stop();
  }
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
