/**
 * Rating's debug surface (docs/http.md §9.4) against the real catalog service and its seed:
 * `GET /tariff/{offeringId}` passes the catalog offering through, `POST /rate-test` rates
 * without writing anything; 404 for an unknown offering, 422 RATING_ERROR when the tariff
 * cannot rate, 502 when the catalog is unreachable.
 */
import assert from "node:assert/strict";
import { seedReferenceData } from "../actors/catalog/seed.ts";
import * as catalog from "../http/catalog/index.ts";
import * as rating from "../http/rating/index.ts";
import { expectStatus } from "./support/crm.ts";
import { freshDatabase } from "./support/db.ts";
import { serveTest, testConfig } from "./support/http.ts";

const db = await freshDatabase("rating_debug");
await seedReferenceData(db.sql);
const catalogServer = serveTest({
  sql: db.sql,
  service: "catalog",
  endpoints: catalog.endpoints(db),
});
const serveRating = (catalogUrl: string) => {
  const env = { BSS_CATALOG_URL: catalogUrl };
  return serveTest({
    sql: db.sql,
    service: "rating",
    env,
    endpoints: rating.endpoints({ config: testConfig(env) }),
  });
};
const server = serveRating(catalogServer.url);
const RATING = "/rating-api/v1";

const rateTest = (json: unknown) => server.request(`${RATING}/rate-test`, { method: "POST", json });
const usage = (overrides: Record<string, unknown> = {}) => ({
  subscriptionId: "SUB-0001",
  msisdn: "90000001",
  offeringId: "PLAN_M",
  eventType: "data",
  quantity: 100,
  unit: "mb",
  ...overrides,
});

Deno.test("GET tariff/{offeringId}: the catalog offering, passed through", async () => {
  const tariff = await expectStatus(server.request(`${RATING}/tariff/PLAN_L`), 200);
  const offering = await expectStatus(
    catalogServer.request("/tmf-api/productCatalogManagement/v4/productOffering/PLAN_L"),
    200,
  );
  // Rating reads the offering through catalog's typed client, which gives the internal form
  // (decimal strings, absent fields as null); the facts are the TMF resource's.
  assert.deepEqual(comparable(tariff), comparable(offering));
  assert.deepEqual(
    tariff.bundleAllowance.find((a: { allowanceType: string }) =>
      a.allowanceType === "data_roaming"
    ),
    { allowanceType: "data_roaming", quantity: 2048, unit: "mb" },
  );
});

Deno.test("GET tariff/{offeringId}: unknown offering is 404", async () => {
  await expectStatus(server.request(`${RATING}/tariff/PLAN_X`), 404);
});

Deno.test("POST rate-test: rated at charge 0 in SGD, nothing written", async () => {
  const [{ n: before }] = await db.sql`select count(*)::int as n from audit.domain_event`;
  assert.deepEqual(await expectStatus(rateTest(usage()), 200), {
    usageEventId: "UE-TEST",
    subscriptionId: "SUB-0001",
    allowanceType: "data",
    consumedQuantity: 100,
    unit: "mb",
    chargeAmount: "0",
    currency: "SGD",
  });
  const [{ n: after }] = await db.sql`select count(*)::int as n from audit.domain_event`;
  assert.equal(after, before);
});

Deno.test("POST rate-test: voice_minutes → voice; roaming data → data_roaming (snake_case)", async () => {
  const voice = await expectStatus(
    rateTest(usage({ eventType: "voice_minutes", quantity: 12, unit: "minutes" })),
    200,
  );
  assert.deepEqual([voice.allowanceType, voice.consumedQuantity], ["voice", 12]);
  const roaming = await expectStatus(
    rateTest({
      usage_event_id: "UE-000042",
      subscription_id: "SUB-0002",
      msisdn: "90000002",
      offering_id: "PLAN_S",
      event_type: "data",
      quantity: 5,
      unit: "mb",
      roaming_indicator: true,
    }),
    200,
  );
  assert.deepEqual(
    [roaming.usageEventId, roaming.subscriptionId, roaming.allowanceType],
    ["UE-000042", "SUB-0002", "data_roaming"],
  );
});

Deno.test("POST rate-test: unknown offering is 404", async () => {
  await expectStatus(rateTest(usage({ offeringId: "PLAN_X" })), 404);
});

Deno.test("POST rate-test: what the tariff cannot rate is 422 RATING_ERROR", async () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ eventType: "mms" }, "rating.unmapped_event_type"],
    [{ unit: "minutes" }, "rating.unit_mismatch"],
    [{ eventType: "sms", unit: "mb" }, "rating.unit_mismatch"],
  ];
  for (const [overrides, reason] of cases) {
    const body = await expectStatus(rateTest(usage(overrides)), 422);
    assert.deepEqual([body.code, body.reason], ["RATING_ERROR", reason], JSON.stringify(body));
    assert.equal(typeof body.message, "string");
  }
});

Deno.test("POST rate-test: schema errors are 422 VALIDATION_ERROR", async () => {
  for (const body of [{}, usage({ subscriptionId: undefined }), usage({ quantity: 0 })]) {
    assert.equal((await expectStatus(rateTest(body), 422)).code, "VALIDATION_ERROR");
  }
});

Deno.test("an unreachable catalog is 502 UPSTREAM_ERROR, not a 500", async () => {
  const stranded = serveRating("http://127.0.0.1:1");
  try {
    const r = await stranded.request(`${RATING}/tariff/PLAN_M`);
    assert.equal((await expectStatus(r, 502)).code, "UPSTREAM_ERROR");
  } finally {
    await stranded.stop();
  }
});

Deno.test({
  name: "teardown",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await server.stop();
    await catalogServer.stop();
    await db.drop();
  },
});

/** An offering with absent fields dropped, amounts as numbers and no schema pointer. */
function comparable(offering: unknown): unknown {
  return JSON.parse(JSON.stringify(offering), (key, v) => {
    if (v === null || key === "@schemaLocation") return undefined;
    return key === "value" && typeof v === "string" ? Number(v) : v;
  });
}
