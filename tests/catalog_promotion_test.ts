/**
 * Promotions over HTTP without the loyalty service: create checks every local rule, then
 * refuses with `catalog.promotion.loyalty_not_configured` and writes nothing; list, get,
 * assign, unassign and exhaust work on the promotion rows that exist (inserted here as the
 * loyalty saga would have left them); the order-time promo reads answer `valid:false` with
 * reason `loyalty_not_configured` and no offers.
 */
import assert from "node:assert/strict";
import { seedReferenceData } from "../actors/catalog/seed.ts";
import { endpoints } from "../http/catalog/index.ts";
import {
  customerOffersRoute,
  previewPromoRoute,
  resolveEligiblePromoRoute,
  validatePromoRoute,
} from "../http/catalog/promo.ts";
import { exhaustPromotionRoute, getPromotionRoute } from "../http/catalog/promotions.ts";
import { freshDatabase } from "./support/db.ts";
import { CLI_TOKEN, reply, serveTest, SERVICE_TOKEN } from "./support/http.ts";

const db = await freshDatabase("catalog_promotion");
const sql = db.sql;
await seedReferenceData(sql);
const server = serveTest({ sql, service: "catalog", endpoints: endpoints(db) });
// As a service hop does: `service` relays the caller it serves (the loyalty saga, the CLI).
const client = server.client({ token: SERVICE_TOKEN });
const BASE = "/tmf-api/promotionManagement/v4/promotion";
const ADMIN = { "x-bss-api-token": CLI_TOKEN, "x-bss-actor": "ops-alice" };

// Promotions as a completed (or interrupted) loyalty saga leaves them.
await sql`insert into catalog.promotion (id, name, code, audience, offer_definition_id,
  discount_type, discount_value, applicable_offering_ids, duration_kind, periods_total,
  valid_from, valid_to, state, created_by) values
  ('PROMO_PUBLIC', 'Welcome 10%', 'WELCOME10', 'public', 'OD_PROMO_PUBLIC', 'percent', 10,
    null, 'multi', 3, null, null, 'active', 'seed'),
  ('PROMO_VIP', 'VIP 20%', 'PROMO_VIP', 'targeted', 'OD_PROMO_VIP', 'percent', 20,
    '{PLAN_M,PLAN_L}', 'single', null, '2030-01-01Z', '2030-07-01Z', 'active', 'seed'),
  ('PROMO_HALF', null, 'HALF', 'targeted', null, 'absolute', 5, null, 'perpetual', null,
    null, null, 'pending_link', 'seed'),
  ('PROMO_OLD', 'Old', 'OLD', 'targeted', 'OD_PROMO_OLD', 'absolute', 3, null, 'single', null,
    null, null, 'exhausted', 'seed')`;

async function post(path: string, json?: unknown, headers: Record<string, string> = ADMIN) {
  return await reply(await server.request(path, { method: "POST", json, headers }));
}
const get = async (path: string) => await reply(await server.request(path));

function violation(
  r: { status: number; body: { code: string; rule: string; context: unknown } },
  rule: string,
  context: Record<string, unknown>,
) {
  assert.deepEqual([r.status, r.body.code, r.body.rule], [422, "POLICY_VIOLATION", rule]);
  assert.deepEqual(r.body.context, context);
}

const valid = {
  promotionId: "PROMO_NEW",
  discountType: "percent",
  discountValue: "15",
  durationKind: "single",
  code: "NEW15",
  promoCodeKind: "multi_use",
};

Deno.test("create: a valid promotion is refused for want of the loyalty service", async () => {
  const r = await post(BASE, valid);
  violation(r, "catalog.promotion.loyalty_not_configured", { promotion_id: "PROMO_NEW" });
  const snake = await post(BASE, {
    promotion_id: "PROMO_T",
    discount_type: "absolute",
    discount_value: 5,
    duration_kind: "multi",
    periods_total: 2,
    audience: "targeted",
    applicable_offering_ids: ["PLAN_M"],
    valid_from: "2030-01-01",
    display_name: "Targeted",
  });
  // Targeted: code defaults to the id, the code kind to single_use_unique_per_customer.
  violation(snake, "catalog.promotion.loyalty_not_configured", { promotion_id: "PROMO_T" });
  const rows = await sql`select id from catalog.promotion where id in ('PROMO_NEW', 'PROMO_T')`;
  assert.equal(rows.length, 0);
});

Deno.test("create: a pending_link promotion resumes, and so meets the same refusal", async () => {
  const r = await post(BASE, { ...valid, promotionId: "PROMO_HALF", code: "HALF" });
  violation(r, "catalog.promotion.loyalty_not_configured", { promotion_id: "PROMO_HALF" });
});

Deno.test("create: catalog.admin_only", async () => {
  const actors: Record<string, string>[] = [{}, { "x-bss-actor": "anonymous" }];
  for (const actor of actors) {
    violation(await post(BASE, valid, actor), "catalog.admin_only", { actor: "anonymous" });
  }
});

Deno.test("create: every term rule, with its context", async () => {
  const cases: Array<[Record<string, unknown>, string, Record<string, unknown>]> = [
    [{ audience: "everyone" }, "invalid_audience", { audience: "everyone" }],
    [{ discountType: "bogo" }, "invalid_discount_type", { discount_type: "bogo" }],
    [{ discountValue: "0" }, "invalid_discount_value", { discount_value: "0.00" }],
    [{ discountValue: -5 }, "invalid_discount_value", { discount_value: "-5.00" }],
    [{ discountValue: "100.01" }, "invalid_discount_value", { discount_value: "100.01" }],
    [{ durationKind: "forever" }, "invalid_duration_kind", { duration_kind: "forever" }],
    [{ durationKind: "multi" }, "invalid_periods_total", { periods_total: null }],
    [{ durationKind: "multi", periodsTotal: 1 }, "invalid_periods_total", {
      periods_total: 1,
    }],
    [{ periodsTotal: 3 }, "invalid_periods_total", {
      periods_total: 3,
      duration_kind: "single",
    }],
    [{ code: null }, "requires_code", { audience: "public" }],
    [{ promoCodeKind: null }, "invalid_promo_code_kind", { promo_code_kind: null }],
    [{ promoCodeKind: "once" }, "invalid_promo_code_kind", { promo_code_kind: "once" }],
    [{ promotionId: "PROMO_PUBLIC" }, "already_exists", {
      promotion_id: "PROMO_PUBLIC",
      state: "active",
    }],
    [{ code: "WELCOME10" }, "code_in_use", { code: "WELCOME10", promotion_id: "PROMO_PUBLIC" }],
  ];
  for (const [change, rule, context] of cases) {
    violation(await post(BASE, { ...valid, ...change }), `catalog.promotion.${rule}`, context);
  }
  // 100 % and an absolute amount above 100 are fine terms (refused only for loyalty).
  for (const change of [{ discountValue: 100 }, { discountType: "absolute", discountValue: 150 }]) {
    const r = await post(BASE, { ...valid, ...change });
    assert.equal(r.body.rule, "catalog.promotion.loyalty_not_configured");
  }
});

Deno.test("create: schema errors are 422 VALIDATION_ERROR", async () => {
  const r = await post(BASE, {});
  assert.deepEqual([r.status, r.body.code], [422, "VALIDATION_ERROR"]);
  assert.deepEqual(r.body.issues.map((i: { path: string[] }) => i.path.join(".")), [
    "body.promotionId",
    "body.discountType",
    "body.discountValue",
    "body.durationKind",
  ]);
  const bad: Array<[Record<string, unknown>, string]> = [
    [{ discountValue: "ten" }, "body.discountValue"],
    [{ periodsTotal: 2.5 }, "body.periodsTotal"],
    [{ currency: "dollars" }, "body.currency"],
    [{ applicableOfferingIds: "PLAN_M" }, "body.applicableOfferingIds"],
    [{ validFrom: "2030-02-01", validTo: "2030-01-01" }, "body.validTo"],
  ];
  for (const [change, path] of bad) {
    const e = await post(BASE, { ...valid, ...change });
    assert.deepEqual([e.status, e.body.code], [422, "VALIDATION_ERROR"], path);
    assert.deepEqual(e.body.issues.map((i: { path: string[] }) => i.path.join(".")), [path]);
  }
});

Deno.test("get: the TMF671 shape; unknown id 404", async () => {
  const r = await get(`${BASE}/PROMO_VIP`);
  assert.deepEqual(r.body, {
    "@type": "Promotion",
    id: "PROMO_VIP",
    code: "PROMO_VIP",
    name: "VIP 20%",
    audience: "targeted",
    offerDefinitionId: "OD_PROMO_VIP",
    discountType: "percent",
    discountValue: "20.00",
    currency: "SGD",
    applicableOfferingIds: ["PLAN_M", "PLAN_L"],
    durationKind: "single",
    periodsTotal: null,
    validFrom: "2030-01-01T00:00:00.000Z",
    validTo: "2030-07-01T00:00:00.000Z",
    state: "active",
  });
  assert.deepEqual(await client.call(getPromotionRoute, { params: { id: "PROMO_VIP" } }), r.body);
  const missing = await get(`${BASE}/PROMO_NONE`);
  assert.deepEqual([missing.status, missing.body.thing], [404, "Promotion"]);
});

Deno.test("list: by id, filtered by state, paged; bad parameters 422", async () => {
  const ids = async (q: string) => (await get(`${BASE}${q}`)).body.map((p: { id: string }) => p.id);
  assert.deepEqual(await ids(""), ["PROMO_HALF", "PROMO_OLD", "PROMO_PUBLIC", "PROMO_VIP"]);
  assert.deepEqual(await ids("?state=pending_link"), ["PROMO_HALF"]);
  assert.deepEqual(await ids("?state=retired"), []);
  assert.deepEqual(await ids("?limit=2&offset=1"), ["PROMO_OLD", "PROMO_PUBLIC"]);
  for (const q of ["?state=live", "?limit=201", "?offset=-1", "?limit=0"]) {
    const r = await get(`${BASE}${q}`);
    assert.deepEqual([r.status, r.body.code], [422, "VALIDATION_ERROR"], q);
  }
});

Deno.test("assign: adds customers once, reports who already were eligible", async () => {
  const first = await post(`${BASE}/PROMO_VIP/assign`, { customerIds: ["CUST-a", "CUST-b"] });
  assert.deepEqual(first, {
    status: 200,
    body: {
      promotion_id: "PROMO_VIP",
      code: "PROMO_VIP",
      eligible: ["CUST-a", "CUST-b"],
      already: [],
    },
  });
  const again = await post(`${BASE}/PROMO_VIP/assign`, {
    customer_ids: ["CUST-b", "CUST-c", "CUST-c"],
  });
  assert.deepEqual(again.body, {
    promotion_id: "PROMO_VIP",
    code: "PROMO_VIP",
    eligible: ["CUST-c"],
    already: ["CUST-b"],
  });
  const rows = await sql`select customer_id, created_by, loyalty_offer_id
    from catalog.promotion_eligibility where promotion_id = 'PROMO_VIP' order by customer_id`;
  assert.deepEqual(rows.map((r) => Object.values(r)), [
    ["CUST-a", "ops-alice", null],
    ["CUST-b", "ops-alice", null],
    ["CUST-c", "ops-alice", null],
  ]);
});

Deno.test("assign: catalog.promotion.not_targeted on public or inactive promotions", async () => {
  const body = { customerIds: ["CUST-a"] };
  violation(await post(`${BASE}/PROMO_PUBLIC/assign`, body), "catalog.promotion.not_targeted", {
    promotion_id: "PROMO_PUBLIC",
    state: "active",
    audience: "public",
  });
  violation(await post(`${BASE}/PROMO_OLD/assign`, body), "catalog.promotion.not_targeted", {
    promotion_id: "PROMO_OLD",
    state: "exhausted",
    audience: "targeted",
  });
});

Deno.test("unassign: removes eligibility, reports who was not eligible", async () => {
  await post(`${BASE}/PROMO_OLD/unassign`, { customerIds: ["CUST-z"] });
  const r = await post(`${BASE}/PROMO_VIP/unassign`, { customerIds: ["CUST-a", "CUST-z"] });
  assert.deepEqual(r, {
    status: 200,
    body: {
      promotion_id: "PROMO_VIP",
      code: "PROMO_VIP",
      removed: ["CUST-a"],
      not_eligible: ["CUST-z"],
    },
  });
  // Unassign needs a targeted promotion, active or not.
  const old = await post(`${BASE}/PROMO_OLD/unassign`, { customerIds: ["CUST-a"] });
  assert.deepEqual(old.body.not_eligible, ["CUST-a"]);
  violation(
    await post(`${BASE}/PROMO_PUBLIC/unassign`, { customerIds: ["CUST-a"] }),
    "catalog.promotion.not_targeted",
    { promotion_id: "PROMO_PUBLIC", audience: "public" },
  );
});

Deno.test("assign and unassign: admin only, 404 on unknown, 422 on bad bodies", async () => {
  for (const verb of ["assign", "unassign"]) {
    violation(
      await post(`${BASE}/PROMO_VIP/${verb}`, { customerIds: ["CUST-a"] }, {}),
      "catalog.admin_only",
      { actor: "anonymous" },
    );
    const missing = await post(`${BASE}/PROMO_NONE/${verb}`, { customerIds: ["CUST-a"] });
    assert.deepEqual([missing.status, missing.body.thing], [404, "Promotion"], verb);
    for (
      const body of [{}, { customerIds: [] }, { customerIds: [""] }, { customerIds: "CUST-a" }]
    ) {
      const r = await post(`${BASE}/PROMO_VIP/${verb}`, body);
      assert.deepEqual([r.status, r.body.code], [422, "VALIDATION_ERROR"], JSON.stringify(body));
    }
  }
});

Deno.test("exhaust: active → exhausted, idempotent; only active ones; 404 on unknown", async () => {
  const r = await post(`${BASE}/PROMO_PUBLIC/exhaust`);
  assert.deepEqual([r.status, r.body.state, r.body.id], [200, "exhausted", "PROMO_PUBLIC"]);
  const again = await client.call(exhaustPromotionRoute, { params: { id: "PROMO_PUBLIC" } });
  assert.equal(again.state, "exhausted");
  const [row] = await sql`select state from catalog.promotion where id = 'PROMO_PUBLIC'`;
  assert.equal(row.state, "exhausted");
  violation(await post(`${BASE}/PROMO_HALF/exhaust`), "catalog.promotion.exhaust.not_active", {
    promotion_id: "PROMO_HALF",
    state: "pending_link",
  });
  violation(await post(`${BASE}/PROMO_VIP/exhaust`, undefined, {}), "catalog.admin_only", {
    actor: "anonymous",
  });
  const missing = await post(`${BASE}/PROMO_NONE/exhaust`);
  assert.deepEqual([missing.status, missing.body.thing, missing.body.id], [
    404,
    "Promotion",
    "PROMO_NONE",
  ]);
});

Deno.test("promo reads answer not valid: loyalty_not_configured", async () => {
  const preview = await get("/promo/preview?code=WELCOME10&offering=PLAN_M&customerId=CUST-a");
  assert.deepEqual(preview, {
    status: 200,
    body: {
      valid: false,
      code: "WELCOME10",
      offering: "PLAN_M",
      label: null,
      name: null,
      base: null,
      effective: null,
      reason: "loyalty_not_configured",
    },
  });
  const validate = await client.call(validatePromoRoute, {
    query: { code: "WELCOME10", offering: "PLAN_M" },
  });
  assert.deepEqual(validate, {
    valid: false,
    code: "WELCOME10",
    offering: "PLAN_M",
    reason: "loyalty_not_configured",
    name: null,
    offerDefinitionId: null,
    loyaltyOfferId: null,
    discountType: null,
    discountValue: null,
    durationKind: null,
    periodsTotal: null,
    discountPeriodsTotal: null,
    base: null,
    effective: null,
    label: null,
  });
  assert.deepEqual(
    await client.call(resolveEligiblePromoRoute, {
      query: { customerId: "CUST-b", offering: "PLAN_M" },
    }),
    { valid: false, reason: "loyalty_not_configured" },
  );
  assert.deepEqual(
    await client.call(customerOffersRoute, { query: { customerId: "CUST-b", state: "issued" } }),
    { customerId: "CUST-b", offers: [] },
  );
  assert.equal(
    (await client.call(previewPromoRoute, { query: { code: "X", offering: "Y" } })).valid,
    false,
  );
});

Deno.test("promo reads need their parameters (422)", async () => {
  const cases: Array<[string, string[]]> = [
    ["/promo/preview?offering=PLAN_M", ["query.code"]],
    ["/promo/validate?code=X", ["query.offering"]],
    ["/promo/resolve-eligible?offering=PLAN_M", ["query.customerId"]],
    ["/promo/customer-offers", ["query.customerId"]],
    ["/promo/validate?code=&offering=PLAN_M", ["query.code"]],
  ];
  for (const [path, issues] of cases) {
    const r = await get(path);
    assert.deepEqual([r.status, r.body.code], [422, "VALIDATION_ERROR"], path);
    assert.deepEqual(r.body.issues.map((i: { path: string[] }) => i.path.join(".")), issues, path);
  }
});

Deno.test("promotion writes emit no events", async () => {
  const [{ n }] = await sql`select count(*)::int as n from audit.domain_event`;
  assert.equal(n, 0);
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
