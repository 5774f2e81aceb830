/**
 * Catalog versioning (docs/domain.md §6.1) over HTTP: the active price is the lowest active
 * recurring row at the instant (ties by id, `valid_to` exclusive), at `activeAt` or at the
 * BSS clock's now (frozen here); offerings on sale at an instant come cheapest first, unpriced
 * last. The SQL query and the pure function agree at every instant.
 */
import assert from "node:assert/strict";
import type { PriceRow } from "../actors/catalog/model.ts";
import { isActiveAt, lowestActivePrice } from "../actors/catalog/pricing.ts";
import { activePriceRow } from "../actors/catalog/queries.ts";
import { seedReferenceData } from "../actors/catalog/seed.ts";
import { endpoints } from "../http/catalog/index.ts";
import { clock } from "../kernel/clock.ts";
import { freshDatabase } from "./support/db.ts";
import { reply, serveTest } from "./support/http.ts";

const db = await freshDatabase("catalog_active_price");
const sql = db.sql;
await seedReferenceData(sql);
const server = serveTest({ sql, service: "catalog", endpoints: endpoints(db) });
const TMF = "/tmf-api/productCatalogManagement/v4";

// PLAN_Z: a base price until June, a March promo, a shorter tying promo with a lower id,
// a June price rise, and a one-time fee that is never "the" price.
await sql`insert into catalog.product_offering (id, name, spec_id, is_sellable, lifecycle_status)
  values ('PLAN_Z', 'Zed', 'SPEC_MOBILE_PREPAID', true, 'active')`;
const prices: Array<[string, string, string | null, string | null, string?]> = [
  ["Z_BASE", "25.00", null, "2030-06-01T00:00:00Z"],
  ["Z_PROMO", "20.00", "2030-03-01T00:00:00Z", "2030-04-01T00:00:00Z"],
  ["Z_ATIE", "20.00", "2030-03-15T00:00:00Z", "2030-03-20T00:00:00Z"],
  ["Z_NEW", "30.00", "2030-06-01T00:00:00Z", null],
  ["Z_FEE", "1.00", null, null, "one_time"],
];
for (const [id, amount, from, to, type = "recurring"] of prices) {
  await sql`insert into catalog.product_offering_price (id, offering_id, price_type, amount,
    valid_from, valid_to) values (${id}, 'PLAN_Z', ${type}, ${amount}, ${from}, ${to})`;
}

/** The expected active price of PLAN_Z at each instant (boundaries included). */
const EXPECTED: Array<[string, string]> = [
  ["2030-01-01T00:00:00.000Z", "Z_BASE"],
  ["2030-02-28T23:59:59.999Z", "Z_BASE"],
  ["2030-03-01T00:00:00.000Z", "Z_PROMO"],
  ["2030-03-16T12:00:00.000Z", "Z_ATIE"],
  ["2030-03-20T00:00:00.000Z", "Z_PROMO"],
  ["2030-04-01T00:00:00.000Z", "Z_BASE"],
  ["2030-05-31T23:59:59.999Z", "Z_BASE"],
  ["2030-06-01T00:00:00.000Z", "Z_NEW"],
  ["2040-01-01T00:00:00.000Z", "Z_NEW"],
];

async function active(offering: string, query = "") {
  return await reply(
    await server.request(`${TMF}/productOfferingPrice/active/${offering}${query}`),
  );
}

Deno.test("activeAt picks the lowest active recurring price at each instant", async () => {
  for (const [at, id] of EXPECTED) {
    const r = await active("PLAN_Z", `?activeAt=${at}`);
    assert.deepEqual([r.status, r.body.id], [200, id], at);
  }
});

Deno.test("without activeAt the instant is the BSS clock's now", async () => {
  try {
    for (const [at, id] of EXPECTED) {
      await clock.freeze(sql, new Date(at));
      const r = await active("PLAN_Z");
      assert.deepEqual([r.status, r.body.id], [200, id], at);
    }
  } finally {
    await clock.unfreeze(sql);
  }
});

Deno.test("no active recurring row is catalog.price.no_active_row with offering and instant", async () => {
  await sql`insert into catalog.product_offering (id, name, is_sellable, lifecycle_status)
    values ('PLAN_GAP', 'Gap', true, 'active')`;
  await sql`insert into catalog.product_offering_price (id, offering_id, price_type, amount,
    valid_from, valid_to) values
    ('GAP_JAN', 'PLAN_GAP', 'recurring', 5, '2030-01-01Z', '2030-02-01Z'),
    ('GAP_FEE', 'PLAN_GAP', 'one_time', 1, null, null)`;
  const r = await active("PLAN_GAP", "?activeAt=2030-02-01T00:00:00Z");
  assert.equal(r.status, 422);
  assert.deepEqual(r.body, {
    code: "POLICY_VIOLATION",
    rule: "catalog.price.no_active_row",
    message: "no active recurring price for offering PLAN_GAP at 2030-02-01T00:00:00.000Z",
    context: { offering_id: "PLAN_GAP", at: "2030-02-01T00:00:00.000Z" },
    reason: "catalog.price.no_active_row",
    status: "422",
  });
  assert.equal((await active("PLAN_GAP", "?activeAt=2030-01-15")).body.id, "GAP_JAN");
});

Deno.test("the SQL query and the pure function agree at every instant", async () => {
  const rows = await sql<PriceRow[]>`select * from catalog.product_offering_price
    where offering_id = 'PLAN_Z'`;
  for (const [at] of EXPECTED) {
    const instant = new Date(at);
    const fromSql = await activePriceRow(sql, "PLAN_Z", instant);
    assert.equal(fromSql?.id, lowestActivePrice(rows, instant)?.id, at);
  }
  const none = await activePriceRow(sql, "PLAN_GAP", new Date("2031-01-01Z"));
  assert.equal(none, undefined);
});

Deno.test("the window predicate: start inclusive, end exclusive, null bounds open", () => {
  const w = (from: string | null, to: string | null) => ({
    valid_from: from ? new Date(from) : null,
    valid_to: to ? new Date(to) : null,
  });
  const t = new Date("2030-03-01T00:00:00Z");
  assert.equal(isActiveAt(w(null, null), t), true);
  assert.equal(isActiveAt(w("2030-03-01T00:00:00Z", null), t), true);
  assert.equal(isActiveAt(w("2030-03-01T00:00:00.001Z", null), t), false);
  assert.equal(isActiveAt(w(null, "2030-03-01T00:00:00Z"), t), false);
  assert.equal(isActiveAt(w(null, "2030-03-01T00:00:00.001Z"), t), true);
});

async function onSale(query: string): Promise<string[]> {
  const r = await reply(await server.request(`${TMF}/productOffering?${query}`));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.map((o: { id: string }) => o.id);
}

Deno.test("offerings on sale at an instant come cheapest first, unpriced last", async () => {
  // PLAN_GAP has no active price after January: on sale but unpriced.
  assert.deepEqual(await onSale("activeAt=2030-03-16T00:00:00Z"), [
    "PLAN_S",
    "PLAN_Z",
    "PLAN_M",
    "PLAN_L",
    "PLAN_GAP",
  ]);
  assert.deepEqual(await onSale("activeAt=2030-01-15T00:00:00Z"), [
    "PLAN_GAP",
    "PLAN_S",
    "PLAN_M",
    "PLAN_Z",
    "PLAN_L",
  ]);
  assert.deepEqual(await onSale("activeAt=2030-07-01T00:00:00Z"), [
    "PLAN_S",
    "PLAN_M",
    "PLAN_Z",
    "PLAN_L",
    "PLAN_GAP",
  ]);
});

Deno.test("the id-ordered page is cut first, then sorted by price", async () => {
  // Id order: PLAN_GAP, PLAN_L, PLAN_M, PLAN_S, PLAN_Z.
  assert.deepEqual(await onSale("activeAt=2030-03-16T00:00:00Z&limit=3"), [
    "PLAN_M",
    "PLAN_L",
    "PLAN_GAP",
  ]);
  assert.deepEqual(await onSale("activeAt=2030-03-16T00:00:00Z&limit=2&offset=3"), [
    "PLAN_S",
    "PLAN_Z",
  ]);
});

Deno.test("on sale means sellable, active and inside the offering's window", async () => {
  await sql`insert into catalog.product_offering (id, name, is_sellable, lifecycle_status,
    valid_from, valid_to) values
    ('PLAN_SPRING', 'Spring', true, 'active', '2030-03-01Z', '2030-06-01Z'),
    ('PLAN_HIDDEN', 'Hidden', false, 'active', null, null),
    ('PLAN_DRAFT', 'Draft', true, 'draft', null, null)`;
  const at = (t: string) => onSale(`activeAt=${t}&lifecycleStatus=draft`);
  assert.ok((await at("2030-03-01T00:00:00Z")).includes("PLAN_SPRING"));
  assert.ok(!(await at("2030-06-01T00:00:00Z")).includes("PLAN_SPRING"));
  assert.ok(!(await at("2030-02-28T00:00:00Z")).includes("PLAN_SPRING"));
  const list = await at("2030-04-01T00:00:00Z");
  assert.ok(!list.includes("PLAN_HIDDEN") && !list.includes("PLAN_DRAFT"));
  // Without activeAt every offering is listed; lifecycleStatus then filters.
  assert.deepEqual(await onSale("lifecycleStatus=draft"), ["PLAN_DRAFT"]);
});

Deno.test("a price by id ignores windows", async () => {
  const r = await reply(await server.request(`${TMF}/productOfferingPrice/Z_ATIE`));
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.validFor, {
    startDateTime: "2030-03-15T00:00:00.000Z",
    endDateTime: "2030-03-20T00:00:00.000Z",
  });
  assert.deepEqual(r.body.price.taxIncludedAmount, { value: 20, unit: "SGD" });
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
