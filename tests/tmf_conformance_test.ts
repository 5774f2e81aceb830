/**
 * TMF v4 conformance: a real signup → usage flow populates every TMF resource kind, then every
 * TMF GET route's body is validated against the official definition (tests/tmf/, the TM Forum
 * Swagger files, draft-04 semantics with `$ref` resolved in the whole document). Zero
 * violations is the bar.
 */
import assert from "node:assert/strict";
import { clock } from "../kernel/clock.ts";
import { recordUsageRoute } from "../http/mediation/usage.ts";
import { listSubscriptions } from "../http/subscription/routes.ts";
import { order, signupCustomer } from "./support/signup.ts";
import { startSystem } from "./support/system.ts";
import { TOKEN } from "./support/http.ts";
import { loadTmf, type TmfApi, violations } from "./support/tmf_schema.ts";

const SPEC_DIR = new URL("./tmf", import.meta.url).pathname;
const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "every TMF resource of a signup → usage flow conforms to its official v4 schema",
  ...opts,
  async fn() {
    const sys = await startSystem("tmf_conformance");
    try {
      const customerId = await signupCustomer(sys.client);
      const done = await order(sys.client, customerId);
      const [line] = await sys.client.subscription.call(listSubscriptions, {
        query: { customerId },
      });
      await sys.client.mediation.call(recordUsageRoute, {
        body: {
          msisdn: line.msisdn,
          eventType: "data",
          eventTime: clock.now().toISOString(),
          quantity: 10,
          unit: "mb",
        },
      });
      const get = async (role: string, path: string) => {
        const r = await fetch(`${sys.urls[role]}${path}`, {
          headers: { "X-BSS-API-Token": TOKEN },
        });
        assert.equal(r.status, 200, `${path}: ${r.status}`);
        return await r.json();
      };
      const docs = new Map<TmfApi, Awaited<ReturnType<typeof loadTmf>>>();
      const found: string[] = [];
      const expect = async (api: TmfApi, name: string, role: string, path: string) => {
        if (!docs.has(api)) docs.set(api, await loadTmf(SPEC_DIR, api));
        const body = await get(role, path);
        for (const item of Array.isArray(body) ? body : [body]) {
          found.push(...violations(docs.get(api)!, name, item).map((v) => `${path} ${v}`));
        }
        return body;
      };
      const C = "/tmf-api/productCatalogManagement/v4";
      await expect("TMF620", "ProductOffering", "catalog", `${C}/productOffering`);
      await expect("TMF620", "ProductOffering", "catalog", `${C}/productOffering/PLAN_S`);
      await expect(
        "TMF620",
        "ProductOfferingPrice",
        "catalog",
        `${C}/productOfferingPrice/PRICE_PLAN_S`,
      );
      await expect("TMF620", "ProductSpecification", "catalog", `${C}/productSpecification`);
      const CU = "/tmf-api/customerManagement/v4";
      await expect("TMF629", "Customer", "crm", `${CU}/customer`);
      await expect("TMF629", "Customer", "crm", `${CU}/customer/${customerId}`);
      const PO = "/tmf-api/productOrderingManagement/v4";
      await expect("TMF622", "ProductOrder", "com", `${PO}/productOrder/${done.id}`);
      await expect("TMF622", "ProductOrder", "com", `${PO}/productOrder?customerId=${customerId}`);
      const SO = "/tmf-api/serviceOrdering/v4";
      const sos = await expect(
        "TMF641",
        "ServiceOrder",
        "som",
        `${SO}/serviceOrder?commercialOrderId=${done.id}`,
      );
      await expect("TMF641", "ServiceOrder", "som", `${SO}/serviceOrder/${sos[0].id}`);
      const SI = "/tmf-api/serviceInventory/v4";
      const svcs = await expect(
        "TMF638",
        "Service",
        "som",
        `${SI}/service?subscriptionId=${line.id}`,
      );
      await expect("TMF638", "Service", "som", `${SI}/service/${svcs[0].id}`);
      const U = "/tmf-api/usageManagement/v4";
      await expect("TMF635", "Usage", "mediation", `${U}/usage?msisdn=${line.msisdn}`);
      console.log(found.join("\n"));
      console.log(found.length);
      assert.deepEqual(found, []);
    } finally {
      await sys.stop();
    }
  },
});
