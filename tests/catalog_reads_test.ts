/**
 * Catalog reads over HTTP against the seeded reference data: offerings, prices,
 * specifications, VAS and the service mapping, in their documented shapes and through the
 * typed client; unknown ids are 404, bad parameters 422.
 */
import assert from "node:assert/strict";
import { seedReferenceData } from "../actors/catalog/seed.ts";
import { endpoints } from "../http/catalog/index.ts";
import {
  getActivePrice,
  getProductOffering,
  getProductOfferingPrice,
  getProductSpecification,
  getServiceMapping,
  listProductOfferings,
  listProductSpecifications,
} from "../http/catalog/product_catalog.ts";
import { getVasOffering, listVasOfferings } from "../http/catalog/vas.ts";
import { NotFound } from "../kernel/errors.ts";
import { freshDatabase } from "./support/db.ts";
import { reply, serveTest } from "./support/http.ts";

const db = await freshDatabase("catalog_reads");
await seedReferenceData(db.sql);
const server = serveTest({ sql: db.sql, service: "catalog", endpoints: endpoints(db) });
const client = server.client();
const TMF = "/tmf-api/productCatalogManagement/v4";

async function get(path: string) {
  return await reply(await server.request(path));
}

Deno.test("an offering in the TMF620 shape, prices and allowances nested", async () => {
  const r = await get(`${TMF}/productOffering/PLAN_M`);
  assert.equal(r.status, 200);
  // The wire: absent optionals omitted, Money a number, absolute hrefs, the schema declared.
  assert.deepEqual(r.body, {
    "@type": "ProductOffering",
    "@schemaLocation": `${server.url}/tmf-api/schema/ProductOffering.schema.json`,
    id: "PLAN_M",
    href: `${server.url}${TMF}/productOffering/PLAN_M`,
    name: "Standard",
    isBundle: true,
    isSellable: true,
    lifecycleStatus: "active",
    productSpecification: {
      "@type": "ProductSpecificationRef",
      id: "SPEC_MOBILE_PREPAID",
      href: `${server.url}${TMF}/productSpecification/SPEC_MOBILE_PREPAID`,
      name: "Mobile Prepaid Bundle",
    },
    productOfferingPrice: [{
      "@type": "ProductOfferingPrice",
      id: "PRICE_PLAN_M",
      href: `${server.url}${TMF}/productOfferingPrice/PRICE_PLAN_M`,
      priceType: "recurring",
      recurringChargePeriodLength: 1,
      recurringChargePeriodType: "month",
      price: { taxIncludedAmount: { value: 25, unit: "SGD" } },
    }],
    bundleAllowance: [
      { allowanceType: "data", quantity: 30720, unit: "mb" },
      { allowanceType: "voice", quantity: -1, unit: "minutes" },
      { allowanceType: "sms", quantity: -1, unit: "count" },
      { allowanceType: "data_roaming", quantity: 500, unit: "mb" },
    ],
  });
  // The typed client reads it back as the code works with it: nulls, exact decimal strings.
  const typed = await client.call(getProductOffering, { params: { id: "PLAN_M" } });
  const { "@schemaLocation": _, ...wire } = r.body;
  assert.deepEqual(typed, {
    ...wire,
    validFor: null,
    productOfferingPrice: [{
      ...wire.productOfferingPrice[0],
      price: { taxIncludedAmount: { value: "25.00", unit: "SGD" } },
      validFor: null,
    }],
  });
});

Deno.test("offerings list in id order, paged, filtered by lifecycleStatus", async () => {
  const all = await client.call(listProductOfferings);
  assert.deepEqual(all.map((o) => o.id), ["PLAN_L", "PLAN_M", "PLAN_S"]);
  const page = await client.call(listProductOfferings, { query: { limit: 1, offset: 1 } });
  assert.deepEqual(page.map((o) => o.id), ["PLAN_M"]);
  const retired = await client.call(listProductOfferings, {
    query: { lifecycleStatus: "retired" },
  });
  assert.deepEqual(retired, []);
  const active = await client.call(listProductOfferings, { query: { lifecycleStatus: "active" } });
  assert.equal(active.length, 3);
});

Deno.test("with activeAt the offerings on sale come cheapest first", async () => {
  const list = await client.call(listProductOfferings, {
    query: { activeAt: "2030-01-01T00:00:00Z" },
  });
  assert.deepEqual(list.map((o) => o.id), ["PLAN_S", "PLAN_M", "PLAN_L"]);
});

Deno.test("a price by id, and the active price of an offering", async () => {
  const price = await client.call(getProductOfferingPrice, { params: { priceId: "PRICE_PLAN_S" } });
  assert.deepEqual(price.price.taxIncludedAmount, { value: "10.00", unit: "SGD" });
  const active = await client.call(getActivePrice, { params: { offeringId: "PLAN_L" } });
  assert.equal(active.id, "PRICE_PLAN_L");
});

Deno.test("product specifications", async () => {
  const list = await client.call(listProductSpecifications);
  assert.deepEqual(list, [{
    "@type": "ProductSpecification",
    id: "SPEC_MOBILE_PREPAID",
    href: `${server.url}${TMF}/productSpecification/SPEC_MOBILE_PREPAID`,
    name: "Mobile Prepaid Bundle",
    description: "Bundled prepaid mobile plan",
    brand: "BSS-CLI",
    lifecycleStatus: "active",
  }]);
  const one = await client.call(getProductSpecification, { params: { id: "SPEC_MOBILE_PREPAID" } });
  assert.deepEqual(one, list[0]);
});

Deno.test("VAS offerings by id, with money as decimal strings", async () => {
  const list = await client.call(listVasOfferings);
  assert.deepEqual(list.map((v) => v.id), [
    "VAS_DATA_1GB",
    "VAS_DATA_5GB",
    "VAS_ROAMING_1GB",
    "VAS_UNLIMITED_DAY",
  ]);
  const r = await get("/vas/offering/VAS_UNLIMITED_DAY");
  assert.deepEqual(r.body, {
    id: "VAS_UNLIMITED_DAY",
    name: "Unlimited Data Day Pass",
    priceAmount: "5.00",
    currency: "SGD",
    allowanceType: "data",
    allowanceQuantity: -1,
    allowanceUnit: "mb",
    expiryHours: 24,
  });
  const typed = await client.call(getVasOffering, { params: { id: "VAS_ROAMING_1GB" } });
  assert.equal(typed.allowanceType, "data_roaming");
  assert.equal(typed.expiryHours, null);
  const paged = await client.call(listVasOfferings, { query: { limit: 2, offset: 3 } });
  assert.deepEqual(paged.map((v) => v.id), ["VAS_UNLIMITED_DAY"]);
});

Deno.test("the service mapping: every plan decomposes into the CFS and both RFS", async () => {
  for (const id of ["PLAN_S", "PLAN_M", "PLAN_L"]) {
    const mapping = await client.call(getServiceMapping, { params: { id } });
    assert.deepEqual(mapping, {
      offeringId: id,
      cfs: {
        id: "SSPEC_CFS_MOBILE_BROADBAND",
        name: "Mobile Broadband CFS",
        type: "CFS",
        parameters: {},
      },
      rfs: [
        { id: "SSPEC_RFS_DATA_BEARER", name: "Data Bearer RFS", type: "RFS", parameters: {} },
        { id: "SSPEC_RFS_VOICE_BEARER", name: "Voice Bearer RFS", type: "RFS", parameters: {} },
      ],
    });
  }
});

Deno.test("unknown ids are 404 NOT_FOUND, on the wire and through the client", async () => {
  const paths: Array<[string, string]> = [
    [`${TMF}/productOffering/PLAN_X`, "ProductOffering"],
    [`${TMF}/productOffering/PLAN_X/serviceMapping`, "ProductOffering"],
    [`${TMF}/productOfferingPrice/PRICE_X`, "ProductOfferingPrice"],
    [`${TMF}/productOfferingPrice/active/PLAN_X`, "ProductOffering"],
    [`${TMF}/productSpecification/SPEC_X`, "ProductSpecification"],
    ["/vas/offering/VAS_X", "VasOffering"],
  ];
  for (const [path, thing] of paths) {
    const r = await get(path);
    assert.deepEqual([r.status, r.body.code, r.body.thing], [404, "NOT_FOUND", thing], path);
  }
  await assert.rejects(
    client.call(getProductOffering, { params: { id: "PLAN_X" } }),
    (e) => e instanceof NotFound && e.id === "PLAN_X",
  );
});

Deno.test("an offering without a mapping has no service mapping (404)", async () => {
  await db.sql`insert into catalog.product_offering (id, name) values ('PLAN_BARE', 'Bare')`;
  const r = await get(`${TMF}/productOffering/PLAN_BARE/serviceMapping`);
  assert.deepEqual([r.status, r.body.thing], [404, "ServiceMapping"]);
});

Deno.test("bad query parameters are 422 VALIDATION_ERROR with the offending path", async () => {
  const cases: Array<[string, string[]]> = [
    [`${TMF}/productOffering?activeAt=tomorrow`, ["query", "activeAt"]],
    [`${TMF}/productOffering?limit=0`, ["query", "limit"]],
    [`${TMF}/productOffering?offset=-1`, ["query", "offset"]],
    [`${TMF}/productOfferingPrice/active/PLAN_M?activeAt=2030-13-01`, ["query", "activeAt"]],
    [`${TMF}/productSpecification?limit=abc`, ["query", "limit"]],
    ["/vas/offering?limit=201", ["query", "limit"]],
  ];
  for (const [path, where] of cases) {
    const r = await get(path);
    assert.deepEqual([r.status, r.body.code], [422, "VALIDATION_ERROR"], path);
    assert.deepEqual(r.body.issues[0].path, where, path);
  }
  // A limit that is not a number is told what it must be.
  for (const limit of ["abc", "2.5"]) {
    const r = await get(`${TMF}/productSpecification?limit=${limit}`);
    assert.equal(r.body.issues[0].message, "must be a whole number", limit);
  }
});

Deno.test("the OpenAPI document lists every catalog route", async () => {
  const doc = await get("/openapi.json");
  const paths = Object.keys(doc.body.paths);
  for (
    const path of [
      `${TMF}/productOffering/{id}/serviceMapping`,
      `${TMF}/productOfferingPrice/active/{offeringId}`,
      "/vas/offering/{id}",
      "/admin/catalog/offering/{id}/price",
      "/tmf-api/promotionManagement/v4/promotion/{id}/assign",
      "/promo/customer-offers",
    ]
  ) assert.ok(paths.includes(path), path);
  const body =
    doc.body.paths["/admin/catalog/offering"].post.requestBody.content["application/json"];
  assert.deepEqual(body.schema.required, ["offeringId", "name", "amount"]);
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
