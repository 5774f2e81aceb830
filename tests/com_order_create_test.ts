/**
 * COM's create, submit, cancel and read routes (docs/http.md §8) and every create rule
 * (docs/domain.md §4.3 with docs/decisions.md's preconditions), through HTTP.
 */
import assert from "node:assert/strict";
import { tokenizeCard } from "../actors/payment/mock_tokenizer.ts";
import { createProductOrder } from "../http/com/product_orders.ts";
import {
  createPaymentMethod,
  listPaymentMethods,
  setDefaultPaymentMethod,
} from "../http/payment/payment_methods.ts";
import { expectStatus, expectViolation } from "./support/crm.ts";
import { bodyKeys, prng, randomBody } from "./support/fuzz.ts";
import { startPipeline } from "./support/orders.ts";

// No bridge: these orders stay where the routes leave them.
const p = await startPipeline("com_create", { bridge: false });
const ORDERS = "/tmf-api/productOrderingManagement/v4/productOrder";
const opts = { sanitizeOps: false, sanitizeResources: false };

const create = (json: unknown) => p.com.request(ORDERS, { method: "POST", json });
const post = (path: string) => p.com.request(path, { method: "POST" });

interface OfferingColumns {
  is_sellable?: boolean;
  lifecycle_status?: string;
  valid_from?: Date;
  valid_to?: Date;
}

async function offering(id: string, columns: OfferingColumns, price = true) {
  await p.db.sql`
    insert into catalog.product_offering (id, name, spec_id, is_bundle, is_sellable,
      lifecycle_status, valid_from, valid_to)
    values (${id}, ${id}, 'SPEC_MOBILE_PREPAID', true, ${columns.is_sellable ?? true},
      ${columns.lifecycle_status ?? "active"}, ${columns.valid_from ?? null},
      ${columns.valid_to ?? null})`;
  if (price) {
    await p.db.sql`
      insert into catalog.product_offering_price (id, offering_id, price_type,
        recurring_period_length, recurring_period_type, amount, currency)
      values (${`PRICE_${id}`}, ${id}, 'recurring', 1, 'month', '12.00', 'SGD')`;
  }
}

Deno.test({
  ...opts,
  name: "create: 201 acknowledged with Location, the price snapshot and order.acknowledged",
  async fn() {
    const customerId = await p.customer();
    const r = await create({ customerId, offeringId: "PLAN_S", notes: "first line" });
    assert.equal(r.status, 201);
    const order = await r.json();
    assert.equal(r.headers.get("location"), `${ORDERS}/${order.id}`);
    assert.match(order.id, /^ORD-\d{4,}$/);
    assert.equal(order["@type"], "ProductOrder");
    assert.equal(order.href, `${p.com.url}${ORDERS}/${order.id}`);
    assert.deepEqual(order.relatedParty, [
      { id: customerId, role: "Customer", "@referredType": "Customer" },
    ]);
    assert.equal(order.state, "acknowledged");
    assert.equal(order.notes, "first line");
    assert.equal("paymentMethodId" in order, false, "absent: omitted on the wire");
    const [item] = order.productOrderItem;
    assert.match(item.id, /^OI-\d{4,}$/);
    assert.deepEqual(
      [item.action, item.offeringId, item.state, item.priceAmount, item.priceCurrency],
      ["add", "PLAN_S", "acknowledged", "10.00", "SGD"],
    );
    assert.equal(item.priceOfferingPriceId, "PRICE_PLAN_S");
    const [event] = await p.db.sql`
      select payload from audit.domain_event where aggregate_id = ${order.id}`;
    assert.deepEqual(event.payload, {
      commercialOrderId: order.id,
      customerId,
      offeringId: "PLAN_S",
      priceSnapshot: {
        priceAmount: "10.00",
        priceCurrency: "SGD",
        priceOfferingPriceId: "PRICE_PLAN_S",
      },
    });
    const [history] = await p.db.sql`
      select from_state, to_state, reason from order_mgmt.order_state_history
      where order_id = ${order.id}`;
    assert.deepEqual({ ...history }, {
      from_state: null,
      to_state: "acknowledged",
      reason: "order created",
    });
  },
});

Deno.test({
  ...opts,
  name: "create accepts snake_case keys and an MSISDN preference",
  async fn() {
    const customerId = await p.customer();
    const order = await expectStatus(
      create({ customer_id: customerId, offering_id: "PLAN_L", msisdn_preference: "90000077" }),
      201,
    );
    assert.equal(order.msisdnPreference, "90000077");
    assert.equal(order.productOrderItem[0].offeringId, "PLAN_L");
  },
});

Deno.test({
  ...opts,
  name: "create accepts TMF622's ProductOrder_Create shape; more than one new line is refused",
  async fn() {
    const customerId = await p.customer();
    const tmf = (items: unknown[]) => ({
      "@type": "ProductOrder",
      relatedParty: [{ id: "AGT-1", role: "Seller" }, { id: customerId, role: "Customer" }],
      productOrderItem: items,
    });
    const item = (id: string, action = "add") => ({ id: "1", action, productOffering: { id } });
    const order = await expectStatus(create(tmf([item("PLAN_M")])), 201);
    assert.equal(order.customerId, customerId);
    assert.equal(order.productOrderItem[0].offeringId, "PLAN_M");
    for (const items of [[item("PLAN_M"), item("PLAN_S")], [item("PLAN_M", "modify")]]) {
      const refused = await expectStatus(create(tmf(items)), 422);
      assert.deepEqual(refused.issues[0].path, ["body", "productOrderItem"]);
    }
    // No Customer party: told what is missing, in our names.
    const anonymous = await expectStatus(create({ productOrderItem: [item("PLAN_M")] }), 422);
    assert.deepEqual(anonymous.issues, [{ path: ["body", "customerId"], message: "required" }]);
  },
});

Deno.test({
  ...opts,
  name: "create: malformed bodies are 422 VALIDATION_ERROR, nothing written",
  async fn() {
    const before = await p.db.sql`select count(*)::int as n from order_mgmt.product_order`;
    for (
      const body of [{}, { customerId: "CUST-1" }, { customerId: 7, offeringId: "PLAN_S" }, {
        customerId: "CUST-1",
        offeringId: "PLAN_S",
        msisdnPreference: "not-a-number",
      }]
    ) {
      const reply = await expectStatus(create(body), 422);
      assert.equal(reply.code, "VALIDATION_ERROR");
    }
    const bad = await p.com.request(ORDERS, {
      method: "POST",
      body: "{",
      headers: { "content-type": "application/json" },
    });
    assert.equal(bad.status, 400);
    await bad.body?.cancel();
    const after = await p.db.sql`select count(*)::int as n from order_mgmt.product_order`;
    assert.equal(after[0].n, before[0].n);
  },
});

Deno.test({
  ...opts,
  name: "create rules: customer_not_found, customer_not_active, requires_verified_customer",
  async fn() {
    const ctx = await expectViolation(
      create({ customerId: "CUST-00000000", offeringId: "PLAN_S" }),
      "order.create.customer_not_found",
    );
    assert.deepEqual(ctx, { customer_id: "CUST-00000000" });

    const closed = await p.customer();
    await p.db.sql`update crm.customer set status = 'suspended' where id = ${closed}`;
    const c2 = await expectViolation(
      create({ customerId: closed, offeringId: "PLAN_S" }),
      "order.create.customer_not_active",
    );
    assert.deepEqual(c2, { customer_id: closed, status: "suspended" });

    const unverified = await p.customer({ kyc: false });
    const c3 = await expectViolation(
      create({ customerId: unverified, offeringId: "PLAN_S" }),
      "order.create.requires_verified_customer",
    );
    assert.equal(c3.customer_id, unverified);
  },
});

Deno.test({
  ...opts,
  name: "create rules: offering_not_found, not sellable (no price, flag, lifecycle, window)",
  async fn() {
    const customerId = await p.customer();
    const c1 = await expectViolation(
      create({ customerId, offeringId: "PLAN_NOPE" }),
      "order.create.offering_not_found",
    );
    assert.deepEqual(c1, { offering_id: "PLAN_NOPE" });

    const past = new Date(Date.now() - 86_400_000 * 10);
    const earlier = new Date(past.getTime() - 86_400_000);
    const future = new Date(Date.now() + 86_400_000 * 10);
    const later = new Date(future.getTime() + 86_400_000);
    await offering("T_NO_PRICE", {}, false);
    await offering("T_UNSELLABLE", { is_sellable: false });
    await offering("T_RETIRED", { lifecycle_status: "retired" });
    await offering("T_ENDED", { valid_from: earlier, valid_to: past });
    await offering("T_FUTURE", { valid_from: future, valid_to: later });
    for (
      const [id, underlying] of [
        ["T_NO_PRICE", "catalog.price.no_active_row"],
        ["T_UNSELLABLE", "catalog.offering.not_sellable"],
        ["T_RETIRED", "catalog.offering.not_active"],
        ["T_ENDED", "catalog.offering.outside_window"],
        ["T_FUTURE", "catalog.offering.outside_window"],
      ]
    ) {
      const ctx = await expectViolation(
        create({ customerId, offeringId: id }),
        "offering.not_sellable_now",
      );
      assert.deepEqual(ctx, { offering_id: id, underlying });
    }
  },
});

Deno.test({
  ...opts,
  name: "create rule: requires_cof; KYC switched off lets an unverified customer order",
  async fn() {
    const cardless = await p.customer({ card: false });
    const ctx = await expectViolation(
      create({ customerId: cardless, offeringId: "PLAN_S" }),
      "order.create.requires_cof",
    );
    assert.deepEqual(ctx, { customer_id: cardless });

    const relaxed = await startPipeline("com_create_nokyc", {
      bridge: false,
      env: { BSS_REQUIRE_KYC: "false" },
    });
    try {
      const unverified = await relaxed.customer({ kyc: false });
      const order = await expectStatus(
        relaxed.com.request(ORDERS, {
          method: "POST",
          json: { customerId: unverified, offeringId: "PLAN_S" },
        }),
        201,
      );
      assert.equal(order.state, "acknowledged");
    } finally {
      await relaxed.stop();
    }
  },
});

Deno.test({
  ...opts,
  name: "submit: in_progress with the card and order.in_progress; again is invalid",
  async fn() {
    const customerId = await p.customer();
    const order = await expectStatus(create({ customerId, offeringId: "PLAN_M" }), 201);
    const submitted = await expectStatus(post(`${ORDERS}/${order.id}/submit`), 200);
    assert.equal(submitted.state, "inProgress", "TMF622's word on the wire");
    assert.match(submitted.paymentMethodId, /^PM-\d{4,}$/);
    const [event] = await p.db.sql`
      select payload from audit.domain_event
      where aggregate_id = ${order.id} and event_type = 'order.in_progress'`;
    assert.deepEqual(event.payload, {
      commercialOrderId: order.id,
      customerId,
      offeringId: "PLAN_M",
      msisdnPreference: null,
      paymentMethodId: submitted.paymentMethodId,
      priceSnapshot: {
        priceAmount: "25.00",
        priceCurrency: "SGD",
        priceOfferingPriceId: "PRICE_PLAN_M",
      },
    });
    const ctx = await expectViolation(
      post(`${ORDERS}/${order.id}/submit`),
      "order.transition.invalid",
    );
    assert.deepEqual(ctx, {
      order_id: order.id,
      current_state: "in_progress",
      target_state: "in_progress",
      allowed: ["completed", "failed", "cancelled"],
    });
  },
});

Deno.test({
  ...opts,
  name: "submit charges the default card, not the newest one",
  async fn() {
    const customerId = await p.customer();
    const payment = p.payment.client();
    const [first] = await payment.call(listPaymentMethods, { query: { customerId } });
    const newer = await payment.call(createPaymentMethod, {
      body: {
        customerId,
        ...tokenizeCard({ cardNumber: "5555 5555 5555 4444", expMonth: 12, expYear: 2099 }),
      },
    });
    assert.equal(newer.isDefault, false, "only the first card becomes the default");
    const submit = async () => {
      const order = await expectStatus(create({ customerId, offeringId: "PLAN_S" }), 201);
      return (await expectStatus(post(`${ORDERS}/${order.id}/submit`), 200)).paymentMethodId;
    };
    assert.equal(await submit(), first.id);
    await payment.call(setDefaultPaymentMethod, { params: { id: newer.id } });
    assert.equal(await submit(), newer.id);
  },
});

Deno.test({
  ...opts,
  name: "submit rule: requires_cof when the card was removed after the order",
  async fn() {
    const customerId = await p.customer();
    const order = await expectStatus(create({ customerId, offeringId: "PLAN_S" }), 201);
    await p.db.sql`update payment.payment_method set status = 'removed', is_default = false
      where customer_id = ${customerId}`;
    await expectViolation(post(`${ORDERS}/${order.id}/submit`), "order.submit.requires_cof");
  },
});

Deno.test({
  ...opts,
  name: "cancel: from acknowledged, and from in_progress before SOM; cancelled is final",
  async fn() {
    const customerId = await p.customer();
    const a = await expectStatus(create({ customerId, offeringId: "PLAN_S" }), 201);
    const cancelled = await expectStatus(post(`${ORDERS}/${a.id}/cancel`), 200);
    assert.equal(cancelled.state, "cancelled");
    assert.ok(cancelled.completedDate);
    assert.equal(cancelled.productOrderItem[0].state, "cancelled");
    await expectViolation(post(`${ORDERS}/${a.id}/submit`), "order.transition.invalid");
    await expectViolation(post(`${ORDERS}/${a.id}/cancel`), "order.transition.invalid");

    const b = await expectStatus(create({ customerId, offeringId: "PLAN_S" }), 201);
    await expectStatus(post(`${ORDERS}/${b.id}/submit`), 200);
    assert.equal((await expectStatus(post(`${ORDERS}/${b.id}/cancel`), 200)).state, "cancelled");
    const [event] = await p.db.sql`
      select payload from audit.domain_event
      where aggregate_id = ${b.id} and event_type = 'order.cancelled'`;
    assert.deepEqual(event.payload, {
      commercialOrderId: b.id,
      customerId,
      reason: "cancelled by user",
      fromState: "in_progress",
    });
  },
});

Deno.test({
  ...opts,
  name: "reads: one order, 404 for unknown ids on reads and writes, the filtered list",
  async fn() {
    const customerId = await p.customer();
    const a = await expectStatus(create({ customerId, offeringId: "PLAN_S" }), 201);
    const b = await expectStatus(create({ customerId, offeringId: "PLAN_M" }), 201);
    await expectStatus(post(`${ORDERS}/${b.id}/submit`), 200);
    assert.deepEqual(await expectStatus(p.com.request(`${ORDERS}/${a.id}`), 200), a);
    for (const path of [`${ORDERS}/ORD-9999`]) {
      assert.equal((await expectStatus(p.com.request(path), 404)).code, "NOT_FOUND");
    }
    for (const path of [`${ORDERS}/ORD-9999/submit`, `${ORDERS}/ORD-9999/cancel`]) {
      assert.equal((await expectStatus(post(path), 404)).code, "NOT_FOUND");
    }
    const mine = await expectStatus(p.com.request(`${ORDERS}?customerId=${customerId}`), 200);
    assert.deepEqual(mine.map((o: { id: string }) => o.id), [b.id, a.id]);
    const progressing = await expectStatus(
      p.com.request(`${ORDERS}?customerId=${customerId}&state=in_progress`),
      200,
    );
    assert.deepEqual(progressing.map((o: { id: string }) => o.id), [b.id]);
    const page = await expectStatus(p.com.request(`${ORDERS}?limit=1&offset=1`), 200);
    assert.equal(page.length, 1);
    assert.equal(
      (await expectStatus(p.com.request(`${ORDERS}?limit=0`), 422)).code,
      "VALIDATION_ERROR",
    );
    assert.equal(
      (await expectStatus(p.com.request(`${ORDERS}?state=bogus`), 422)).code,
      "VALIDATION_ERROR",
    );
  },
});

Deno.test({
  ...opts,
  name: "create: random and malformed bodies are answered 4xx, never 5xx",
  async fn() {
    const seed = Date.now();
    const rand = prng(seed);
    const keys = bodyKeys(createProductOrder.body);
    for (let i = 0; i < 60; i++) {
      const body = randomBody(rand, keys);
      const r = await p.com.request(ORDERS, {
        method: "POST",
        body,
        headers: { "content-type": "application/json" },
      });
      await r.body?.cancel();
      assert.ok(r.status >= 400 && r.status < 500, `seed ${seed}: ${r.status} for ${body}`);
    }
  },
});

Deno.test({
  ...opts,
  name:
    "create with an Idempotency-Key: concurrent retries make one order; a dead claimant is taken over",
  async fn() {
    const customerId = await p.customer();
    const keyed = (key: string) =>
      p.com.request(ORDERS, {
        method: "POST",
        json: { customerId, offeringId: "PLAN_S" },
        headers: { "Idempotency-Key": key },
      });
    const key = `order-${crypto.randomUUID()}`;
    const orders = await Promise.all([1, 2, 3, 4].map(() => expectStatus(keyed(key), 201)));
    assert.deepEqual(new Set(orders.map((o) => o.id)).size, 1);
    const count = async () =>
      (await p.db.sql`
        select count(*)::int as n from order_mgmt.product_order where customer_id = ${customerId}`)[
        0
      ].n;
    assert.equal(await count(), 1);
    // The claimant made the order, then died before storing its answer: the retry takes over
    // with the order id it fixed, and finds the order made.
    await p.db.sql`
      update idempotency.request set state = 'running', outcome = null,
        lease_until = now() - interval '1 s'
      where key = ${key}`;
    const retried = await expectStatus(keyed(key), 201);
    assert.equal(retried.id, orders[0].id);
    assert.equal(await count(), 1);
    // the same key for another offering is refused
    const other = await p.com.request(ORDERS, {
      method: "POST",
      json: { customerId, offeringId: "PLAN_M" },
      headers: { "Idempotency-Key": key },
    });
    assert.equal((await expectStatus(other, 422)).code, "VALIDATION_ERROR");
  },
});

Deno.test({ ...opts, name: "teardown", fn: () => p.stop() });
