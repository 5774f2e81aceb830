/**
 * TMF v4 conformance: a real signup → usage flow populates every TMF resource kind (offering,
 * price, specification, customer, product order, service order, service, usage, resource),
 * and the body of every TMF GET and POST route on the way is validated against its official
 * definition (tests/tmf/, the TM Forum Swagger files, draft-04 semantics with `$ref` resolved
 * in the whole document). Zero violations is the bar. Lists also answer TMF's conventions.
 */
import assert from "node:assert/strict";
import { tokenizeCard } from "../actors/payment/mock_tokenizer.ts";
import { createPaymentMethod } from "../http/payment/payment_methods.ts";
import { getProductOrder } from "../http/com/product_orders.ts";
import { attestKyc } from "./support/crm.ts";
import { TOKEN } from "./support/http.ts";
import { startSystem, until } from "./support/system.ts";
import { loadTmf, type TmfApi, type TmfDocument, violations } from "./support/tmf_schema.ts";

const SPEC_DIR = new URL("./tmf", import.meta.url).pathname;
const opts = { sanitizeOps: false, sanitizeResources: false };

const C = "/tmf-api/productCatalogManagement/v4";
const CU = "/tmf-api/customerManagement/v4";
const PO = "/tmf-api/productOrderingManagement/v4";
const SO = "/tmf-api/serviceOrdering/v4";
const SI = "/tmf-api/serviceInventory/v4";
const U = "/tmf-api/usageManagement/v4";
const R = "/tmf-api/resourceInventoryManagement/v4";

Deno.test({
  name: "every TMF resource of a signup → usage flow conforms to its official v4 schema",
  ...opts,
  async fn() {
    const sys = await startSystem("tmf_conformance");
    const docs = new Map<TmfApi, TmfDocument>();
    const found: string[] = [];
    const checked = new Set<string>();
    /** Calls a TMF route and validates every resource of its body against `api`'s `name`. */
    const call = async (
      api: TmfApi,
      name: string,
      role: string,
      path: string,
      json?: unknown,
    ) => {
      if (!docs.has(api)) docs.set(api, await loadTmf(SPEC_DIR, api));
      const r = await fetch(`${sys.urls[role]}${path}`, {
        method: json === undefined ? "GET" : "POST",
        headers: { "X-BSS-API-Token": TOKEN, "content-type": "application/json" },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
      const body = await r.json();
      assert.ok(
        r.status === 200 || r.status === 201,
        `${path}: ${r.status} ${JSON.stringify(body)}`,
      );
      const items = Array.isArray(body) ? body : [body];
      assert.ok(items.length > 0, `${path}: nothing to validate`);
      if (Array.isArray(body)) {
        // Every list says how many it sent and how many match in all.
        assert.equal(r.headers.get("x-result-count"), String(body.length), path);
        const total = Number(r.headers.get("x-total-count"));
        assert.ok(total >= body.length, `${path}: X-Total-Count ${total}`);
      }
      for (const item of items) {
        found.push(...violations(docs.get(api)!, name, item).map((v) => `${path} ${v}`));
      }
      checked.add(name);
      return { body, headers: r.headers };
    };
    try {
      // Catalog.
      await call("TMF620", "ProductOffering", "catalog", `${C}/productOffering`);
      await call("TMF620", "ProductOffering", "catalog", `${C}/productOffering/PLAN_S`);
      await call(
        "TMF620",
        "ProductOfferingPrice",
        "catalog",
        `${C}/productOfferingPrice/PRICE_PLAN_S`,
      );
      await call(
        "TMF620",
        "ProductOfferingPrice",
        "catalog",
        `${C}/productOfferingPrice/active/PLAN_M`,
      );
      await call("TMF620", "ProductSpecification", "catalog", `${C}/productSpecification`);

      // A customer, verified, with a card; then an order placed and submitted over TMF622.
      const { body: customer } = await call("TMF629", "Customer", "crm", `${CU}/customer`, {
        givenName: "Tess",
        familyName: "Conformance",
        contactMedium: [{ mediumType: "email", value: "tess@example.test" }],
      });
      await attestKyc(sys.client.crm, customer.id);
      const card = tokenizeCard({ cardNumber: "4242424242424242", expMonth: 12, expYear: 2099 });
      await sys.client.payment.call(createPaymentMethod, {
        body: { customerId: customer.id, ...card },
      });
      await call("TMF629", "Customer", "crm", `${CU}/customer/${customer.id}`);
      await call("TMF629", "Customer", "crm", `${CU}/customer`);
      const { body: placed } = await call("TMF622", "ProductOrder", "com", `${PO}/productOrder`, {
        customerId: customer.id,
        offeringId: "PLAN_S",
      });
      await call("TMF622", "ProductOrder", "com", `${PO}/productOrder/${placed.id}/submit`, {});
      await until(
        () => sys.client.com.call(getProductOrder, { params: { id: placed.id } }),
        (o) => o.state === "completed",
        "the order to complete",
      );
      await call("TMF622", "ProductOrder", "com", `${PO}/productOrder/${placed.id}`);
      await call("TMF622", "ProductOrder", "com", `${PO}/productOrder?customerId=${customer.id}`);

      // SOM: the service order and the services it made.
      const { body: sos } = await call("TMF641", "ServiceOrder", "som", `${SO}/serviceOrder`);
      await call("TMF641", "ServiceOrder", "som", `${SO}/serviceOrder/${sos[0].id}`);
      const { body: services } = await call("TMF638", "Service", "som", `${SI}/service`);
      await call("TMF638", "Service", "som", `${SI}/service/${services[0].id}`);
      const subscriptionId = services[0].subscriptionId;
      const msisdn = services[0].characteristics.msisdn;

      // Usage on the line.
      await call("TMF635", "Usage", "mediation", `${U}/usage`, {
        msisdn,
        eventType: "data",
        eventTime: new Date().toISOString(),
        quantity: 10,
        unit: "mb",
      });
      await call("TMF635", "Usage", "mediation", `${U}/usage?subscriptionId=${subscriptionId}`);

      // The line's number and profile as TMF639 resources.
      await call("TMF639", "Resource", "crm", `${R}/resource/${msisdn}`);
      const { body: profiles } = await call(
        "TMF639",
        "Resource",
        "crm",
        `${R}/resource?@type=eSIMProfile&limit=2`,
      );
      await call("TMF639", "Resource", "crm", `${R}/resource/${profiles[0].id}`);
      await call("TMF639", "Resource", "crm", `${R}/resource?limit=3`);

      assert.deepEqual(found, []);
      assert.deepEqual([...checked].sort(), [
        "Customer",
        "ProductOffering",
        "ProductOfferingPrice",
        "ProductOrder",
        "ProductSpecification",
        "Resource",
        "Service",
        "ServiceOrder",
        "Usage",
      ]);
    } finally {
      await sys.stop();
    }
  },
});

Deno.test({
  name: "TMF lists page with offset/limit and count; fields= projects; extensions are described",
  ...opts,
  async fn() {
    const sys = await startSystem("tmf_lists");
    const get = (path: string) =>
      fetch(`${sys.urls.catalog}${path}`, { headers: { "X-BSS-API-Token": TOKEN } });
    try {
      const page = await get(`${C}/productOffering?offset=1&limit=1`);
      const [one] = await page.json();
      assert.equal(one.id, "PLAN_M");
      assert.equal(page.headers.get("x-result-count"), "1");
      assert.equal(page.headers.get("x-total-count"), "3");

      const cut = await (await get(`${C}/productOffering/PLAN_S?fields=name,isBundle`)).json();
      assert.deepEqual(Object.keys(cut).sort(), [
        "@schemaLocation",
        "@type",
        "href",
        "id",
        "isBundle",
        "name",
      ]);
      assert.match(cut.href, /^http:\/\/.+\/productOffering\/PLAN_S$/);

      // Counted past the largest limit (500): the seeded 1000 numbers and 1000 profiles.
      const resources = (query: string) =>
        fetch(`${sys.urls.crm}${R}/resource?${query}`, { headers: { "X-BSS-API-Token": TOKEN } });
      for (const [query, total] of [["limit=1", "2000"], ["@type=MSISDN&limit=1", "1000"]]) {
        const listed = await resources(query);
        assert.equal((await listed.json()).length, 1);
        assert.equal(listed.headers.get("x-total-count"), total, query);
      }

      const retired = await get(`${C}/productOffering?lifecycleStatus=Active`);
      assert.equal((await retired.json()).length, 3, "lifecycleStatus matches whatever its case");

      // @schemaLocation names a JSON Schema this service serves, with the extension fields.
      const schema = await (await fetch(cut["@schemaLocation"], {
        headers: { "X-BSS-API-Token": TOKEN },
      })).json();
      assert.ok(schema.properties.bundleAllowance, "the bundle extension is described");
      assert.equal(schema.properties.id.type, "string");

      const error = await (await get(`${C}/productOffering/NOPE`)).json();
      assert.deepEqual([error.code, error.status, typeof error.reason], [
        "NOT_FOUND",
        "404",
        "string",
      ]);
    } finally {
      await sys.stop();
    }
  },
});
