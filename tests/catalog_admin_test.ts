/**
 * Catalog administration over HTTP: add an offering, set its window, add a price (with and
 * without retiring the current ones). Every write needs a named actor (`catalog.admin_only`),
 * answers 201 + Location on create, breaks the documented rules with their exact codes,
 * 404s on unknown ids, 422s on bad bodies, and emits no event.
 */
import assert from "node:assert/strict";
import { seedReferenceData } from "../actors/catalog/seed.ts";
import { addOfferingRoute, addPriceRoute } from "../http/catalog/admin.ts";
import { endpoints } from "../http/catalog/index.ts";
import { clock } from "../kernel/clock.ts";
import { freshDatabase } from "./support/db.ts";
import { CLI_TOKEN, reply, serveTest, SERVICE_TOKEN } from "./support/http.ts";

const db = await freshDatabase("catalog_admin");
const sql = db.sql;
await seedReferenceData(sql);
const server = serveTest({ sql, service: "catalog", endpoints: endpoints(db) });
const TMF = "/tmf-api/productCatalogManagement/v4";
const ADMIN = { "x-bss-api-token": CLI_TOKEN, "x-bss-actor": "cli-user" };

async function send(
  method: string,
  path: string,
  json: unknown,
  headers: Record<string, string> = ADMIN,
) {
  const r = await server.request(path, { method, json, headers });
  return { ...await reply(r), location: r.headers.get("location") };
}
const post = (path: string, json: unknown, headers?: Record<string, string>) =>
  send("POST", path, json, headers);
const patch = (path: string, json: unknown, headers?: Record<string, string>) =>
  send("PATCH", path, json, headers);

function violation(r: { status: number; body: { code: string; rule: string } }, rule: string) {
  assert.deepEqual([r.status, r.body.code, r.body.rule], [422, "POLICY_VIOLATION", rule]);
}

function invalid(r: { status: number; body: { code: string; issues: { path: unknown[] }[] } }) {
  assert.deepEqual([r.status, r.body.code], [422, "VALIDATION_ERROR"], JSON.stringify(r.body));
  return r.body.issues.map((i) => i.path.join("."));
}

Deno.test("add offering: a sellable active bundle with its price, allowances and mapping", async () => {
  const r = await post("/admin/catalog/offering", {
    offeringId: "PLAN_XL",
    name: "Extra Large",
    amount: "65.5",
    validFrom: "2030-01-01T00:00:00Z",
    validTo: "2031-01-01T00:00:00+08:00",
    dataMb: 307200,
    voiceMinutes: -1,
    smsCount: -1,
    dataRoamingMb: 4096,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.location, `${TMF}/productOffering/PLAN_XL`);
  const window = {
    startDateTime: "2030-01-01T00:00:00.000Z",
    endDateTime: "2030-12-31T16:00:00.000Z",
  };
  assert.deepEqual(r.body, {
    "@type": "ProductOffering",
    "@schemaLocation": `${server.url}/tmf-api/schema/ProductOffering.schema.json`,
    id: "PLAN_XL",
    href: `${server.url}${TMF}/productOffering/PLAN_XL`,
    name: "Extra Large",
    isBundle: true,
    isSellable: true,
    lifecycleStatus: "active",
    validFor: window,
    productSpecification: {
      "@type": "ProductSpecificationRef",
      id: "SPEC_MOBILE_PREPAID",
      href: `${server.url}${TMF}/productSpecification/SPEC_MOBILE_PREPAID`,
      name: "Mobile Prepaid Bundle",
    },
    productOfferingPrice: [{
      "@type": "ProductOfferingPrice",
      id: "PRICE_PLAN_XL",
      href: `${server.url}${TMF}/productOfferingPrice/PRICE_PLAN_XL`,
      priceType: "recurring",
      recurringChargePeriodLength: 1,
      recurringChargePeriodType: "month",
      price: { taxIncludedAmount: { value: 65.5, unit: "SGD" } },
      validFor: window,
    }],
    bundleAllowance: [
      { allowanceType: "data", quantity: 307200, unit: "mb" },
      { allowanceType: "voice", quantity: -1, unit: "minutes" },
      { allowanceType: "sms", quantity: -1, unit: "count" },
      { allowanceType: "data_roaming", quantity: 4096, unit: "mb" },
    ],
  });
  const ids = await sql`select id from catalog.bundle_allowance where offering_id = 'PLAN_XL'
    order by id`;
  assert.deepEqual(ids.map((a) => a.id), [
    "BA_PLAN_XL_DATA",
    "BA_PLAN_XL_ROAM",
    "BA_PLAN_XL_SMS",
    "BA_PLAN_XL_VOICE",
  ]);
  const mapping = await reply(
    await server.request(`${TMF}/productOffering/PLAN_XL/serviceMapping`),
  );
  assert.equal(mapping.body.cfs.id, "SSPEC_CFS_MOBILE_BROADBAND");
});

Deno.test("add offering takes snake_case keys, a price id, and only the allowances given", async () => {
  const r = await post("/admin/catalog/offering", {
    offering_id: "PLAN_DATA",
    name: "Data Only",
    spec_id: "SPEC_MOBILE_PREPAID",
    amount: 12,
    currency: "USD",
    price_id: "PRICE_DATA_V1",
    data_mb: 10240,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.validFor, undefined, "no window: omitted on the wire");
  assert.deepEqual(r.body.productOfferingPrice[0].price.taxIncludedAmount, {
    value: 12,
    unit: "USD",
  });
  assert.equal(r.body.productOfferingPrice[0].id, "PRICE_DATA_V1");
  assert.deepEqual(r.body.bundleAllowance, [{
    allowanceType: "data",
    quantity: 10240,
    unit: "mb",
  }]);
});

Deno.test("the typed client adds an offering and a price (it acts as the caller)", async () => {
  // As a service hop does: the `service` identity relays the caller it serves.
  const client = server.client({ token: SERVICE_TOKEN });
  const offering = await client.call(addOfferingRoute, {
    body: { offeringId: "PLAN_TYPED", name: "Typed", amount: "9.90" },
  });
  assert.equal(offering.productOfferingPrice[0].price.taxIncludedAmount.value, "9.90");
  const price = await client.call(addPriceRoute, {
    params: { id: "PLAN_TYPED" },
    body: { priceId: "PRICE_TYPED_2", amount: 8 },
  });
  assert.equal(price.price.taxIncludedAmount.value, "8.00");
});

Deno.test("catalog.admin_only: no actor, a blank one, or anonymous", async () => {
  const body = { offeringId: "PLAN_NOPE", name: "Nope", amount: "1.00" };
  const actors: Record<string, string>[] = [
    {},
    { "x-bss-actor": "  " },
    { "x-bss-actor": "anonymous" },
  ];
  for (const headers of actors) {
    const calls = [
      post("/admin/catalog/offering", body, headers),
      patch("/admin/catalog/offering/PLAN_M/window", {}, headers),
      post("/admin/catalog/offering/PLAN_M/price", { priceId: "P_NOPE", amount: 1 }, headers),
    ];
    for (const r of await Promise.all(calls)) {
      violation(r, "catalog.admin_only");
      assert.deepEqual(r.body.context, { actor: "anonymous" });
    }
  }
  assert.deepEqual(
    [...await sql`select id from catalog.product_offering where id = 'PLAN_NOPE'`],
    [],
  );
});

Deno.test("catalog.offering.already_exists", async () => {
  const r = await post("/admin/catalog/offering", { offeringId: "PLAN_M", name: "M", amount: 1 });
  violation(r, "catalog.offering.already_exists");
  assert.deepEqual(r.body.context, { offering_id: "PLAN_M" });
});

Deno.test("add offering with a taken price id breaks catalog.price.already_exists, writes nothing", async () => {
  const r = await post("/admin/catalog/offering", {
    offeringId: "PLAN_DUP",
    name: "Dup",
    amount: 1,
    priceId: "PRICE_PLAN_M",
  });
  violation(r, "catalog.price.already_exists");
  assert.deepEqual(r.body.context, { price_id: "PRICE_PLAN_M" });
  const rows = await sql`select id from catalog.product_offering where id = 'PLAN_DUP'`;
  assert.equal(rows.length, 0);
});

Deno.test("add offering on an unknown specification is 404", async () => {
  const r = await post("/admin/catalog/offering", {
    offeringId: "PLAN_ORPHAN",
    name: "Orphan",
    amount: 1,
    specId: "SPEC_NONE",
  });
  assert.deepEqual([r.status, r.body.thing, r.body.id], [404, "ProductSpecification", "SPEC_NONE"]);
});

Deno.test("add offering validates its body (422 with every issue)", async () => {
  const url = "/admin/catalog/offering";
  assert.deepEqual(invalid(await post(url, {})), ["body.offeringId", "body.name", "body.amount"]);
  const bad = [
    [{ amount: "abc" }, "body.amount"],
    [{ amount: "1.234" }, "body.amount"],
    [{ amount: -1 }, "body.amount"],
    [{ amount: "12345678901" }, "body.amount"],
    [{ currency: "sgd" }, "body.currency"],
    [{ voiceMinutes: -2 }, "body.voiceMinutes"],
    [{ dataMb: 1.5 }, "body.dataMb"],
    [{ validFrom: "soon" }, "body.validFrom"],
    [{ validFrom: "2030-02-01", validTo: "2030-01-01" }, "body.validTo"],
    [{ validFrom: "2030-02-01", validTo: "2030-02-01T00:00:00Z" }, "body.validTo"],
  ] as const;
  for (const [field, path] of bad) {
    const r = await post(url, { offeringId: "PLAN_BAD", name: "Bad", amount: 1, ...field });
    assert.deepEqual(invalid(r), [path], JSON.stringify(field));
  }
  const headers = { ...ADMIN, "content-type": "application/json" };
  const r = await server.request(url, { method: "POST", body: "{", headers });
  assert.equal((await reply(r)).status, 400);
});

Deno.test("window: both bounds overwritten, an omitted bound becomes open", async () => {
  const url = "/admin/catalog/offering/PLAN_S/window";
  const set = await patch(url, { validFrom: "2030-01-01T00:00:00Z", valid_to: "2030-02-01" });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.deepEqual(set.body.validFor, {
    startDateTime: "2030-01-01T00:00:00.000Z",
    endDateTime: "2030-02-01T00:00:00.000Z",
  });
  const half = await patch(url, { validTo: "2030-03-01T00:00:00Z" });
  assert.deepEqual(half.body.validFor, {
    endDateTime: "2030-03-01T00:00:00.000Z",
  });
  const cleared = await patch(url, {});
  assert.equal(cleared.body.validFor, undefined);
});

Deno.test("window: unknown offering 404, bad bounds 422", async () => {
  const missing = await patch("/admin/catalog/offering/PLAN_X/window", {});
  assert.deepEqual([missing.status, missing.body.thing], [404, "ProductOffering"]);
  const url = "/admin/catalog/offering/PLAN_S/window";
  assert.deepEqual(invalid(await patch(url, { validFrom: 5 })), ["body.validFrom"]);
  assert.deepEqual(
    invalid(await patch(url, { validFrom: "2030-02-01", validTo: "2030-01-01" })),
    ["body.validTo"],
  );
  assert.deepEqual(invalid(await patch(url, undefined)), ["body"]);
});

Deno.test("add price: 201, Location, windowed monthly recurring row", async () => {
  const r = await post("/admin/catalog/offering/PLAN_L/price", {
    priceId: "PRICE_PLAN_L_PROMO",
    amount: "39.00",
    validFrom: "2030-03-01T00:00:00Z",
    validTo: "2030-04-01T00:00:00Z",
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.location, `${TMF}/productOfferingPrice/PRICE_PLAN_L_PROMO`);
  assert.deepEqual(r.body, {
    "@type": "ProductOfferingPrice",
    "@schemaLocation": `${server.url}/tmf-api/schema/ProductOfferingPrice.schema.json`,
    id: "PRICE_PLAN_L_PROMO",
    href: `${server.url}${TMF}/productOfferingPrice/PRICE_PLAN_L_PROMO`,
    priceType: "recurring",
    recurringChargePeriodLength: 1,
    recurringChargePeriodType: "month",
    price: { taxIncludedAmount: { value: 39, unit: "SGD" } },
    validFor: {
      startDateTime: "2030-03-01T00:00:00.000Z",
      endDateTime: "2030-04-01T00:00:00.000Z",
    },
  });
  // Lower than the base while its window lasts.
  const at = async (t: string) =>
    (await reply(
      await server.request(`${TMF}/productOfferingPrice/active/PLAN_L?activeAt=${t}`),
    )).body.id;
  assert.equal(await at("2030-03-15T00:00:00Z"), "PRICE_PLAN_L_PROMO");
  assert.equal(await at("2030-04-01T00:00:00Z"), "PRICE_PLAN_L");
  // The offering lists every row.
  const offering = await reply(await server.request(`${TMF}/productOffering/PLAN_L`));
  assert.deepEqual(
    offering.body.productOfferingPrice.map((p: { id: string }) => p.id),
    ["PRICE_PLAN_L", "PRICE_PLAN_L_PROMO"],
  );
});

Deno.test("add price with retireCurrent ends the open-ended rows where the new one starts", async () => {
  await post("/admin/catalog/offering", { offeringId: "PLAN_R", name: "R", amount: 20 });
  // A future open-ended price, not started when the cut falls: it never applies.
  await post("/admin/catalog/offering/PLAN_R/price", {
    priceId: "R_LATER",
    amount: 22,
    validFrom: "2031-01-01T00:00:00Z",
  });
  const r = await post("/admin/catalog/offering/PLAN_R/price", {
    priceId: "R_V2",
    amount: 24,
    validFrom: "2030-06-01T00:00:00Z",
    retireCurrent: true,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const rows = await sql`select id, valid_from, valid_to from catalog.product_offering_price
    where offering_id = 'PLAN_R' order by id`;
  assert.deepEqual(
    rows.map((p) => [p.id, p.valid_from?.toISOString(), p.valid_to?.toISOString()]),
    [
      ["PRICE_PLAN_R", undefined, "2030-06-01T00:00:00.000Z"],
      ["R_LATER", "2031-01-01T00:00:00.000Z", "2031-01-01T00:00:00.000Z"],
      ["R_V2", "2030-06-01T00:00:00.000Z", undefined],
    ],
  );
  const at = async (t: string) =>
    (await reply(
      await server.request(`${TMF}/productOfferingPrice/active/PLAN_R?activeAt=${t}`),
    )).body.id;
  assert.equal(await at("2030-05-31T23:59:59Z"), "PRICE_PLAN_R");
  assert.equal(await at("2030-06-01T00:00:00Z"), "R_V2");
  assert.equal(await at("2032-01-01T00:00:00Z"), "R_V2");
});

Deno.test("retireCurrent without validFrom cuts at the BSS clock's now", async () => {
  await post("/admin/catalog/offering", { offeringId: "PLAN_NOW", name: "Now", amount: 5 });
  try {
    await clock.freeze(sql, new Date("2030-09-09T09:09:09Z"));
    const r = await post("/admin/catalog/offering/PLAN_NOW/price", {
      price_id: "NOW_V2",
      amount: 6,
      retire_current: true,
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  } finally {
    await clock.unfreeze(sql);
  }
  const [old] = await sql`select valid_to from catalog.product_offering_price
    where id = 'PRICE_PLAN_NOW'`;
  assert.equal(old.valid_to.toISOString(), "2030-09-09T09:09:09.000Z");
});

Deno.test("add price: catalog.price.already_exists, unknown offering 404, bad body 422", async () => {
  const dup = await post("/admin/catalog/offering/PLAN_M/price", {
    priceId: "PRICE_PLAN_S",
    amount: 1,
    retireCurrent: true,
  });
  violation(dup, "catalog.price.already_exists");
  assert.deepEqual(dup.body.context, { price_id: "PRICE_PLAN_S" });
  // The violation rolled the retirement back.
  const [base] = await sql`select valid_to from catalog.product_offering_price
    where id = 'PRICE_PLAN_M'`;
  assert.equal(base.valid_to, null);
  const missing = await post("/admin/catalog/offering/PLAN_X/price", { priceId: "P", amount: 1 });
  assert.deepEqual([missing.status, missing.body.thing], [404, "ProductOffering"]);
  const url = "/admin/catalog/offering/PLAN_M/price";
  assert.deepEqual(invalid(await post(url, {})), ["body.priceId", "body.amount"]);
  assert.deepEqual(
    invalid(await post(url, { priceId: "P", amount: 1, retireCurrent: "yes" })),
    ["body.retireCurrent"],
  );
});

Deno.test("catalog writes emit no events", async () => {
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
