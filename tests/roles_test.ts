/**
 * The roles as `deno task start` runs them: every service on its port (offset), reference
 * data seeded, and the built domains answering through typed clients.
 */
import assert from "node:assert/strict";
import { seedReferenceData } from "../actors/seed.ts";
import { tokenizeCard } from "../actors/payment/mock_tokenizer.ts";
import { clock } from "../kernel/clock.ts";
import { PolicyViolation } from "../kernel/errors.ts";
import { createPaymentMethod } from "../http/payment/payment_methods.ts";
import { createClient } from "../http/client.ts";
import { listProductOfferings } from "../http/catalog/product_catalog.ts";
import { countMsisdnRoute } from "../http/inventory/msisdn.ts";
import { selectRoles } from "../http/roles.ts";
import { startRoles } from "../http/start.ts";
import { createCustomer } from "./support/crm.ts";
import { freshDatabase } from "./support/db.ts";
import { freePortOffset, testConfig, TOKEN } from "./support/http.ts";

Deno.test({
  name: "every role starts on its port with the reference data seeded (twice: idempotent)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const db = await freshDatabase("roles");
    await clock.refresh(db.sql);
    await seedReferenceData(db.sql);
    await seedReferenceData(db.sql);
    const config = testConfig({ BSS_PORT_OFFSET: String(freePortOffset()) });
    const running = await startRoles(config, db.sql, selectRoles());
    try {
      for (const url of Object.values(running.urls)) {
        assert.equal((await fetch(`${url}/health`).then((r) => r.json())).status, "ok");
      }
      const catalog = createClient({ baseUrl: running.urls.catalog, token: TOKEN, service: "t" });
      const plans = await catalog.call(listProductOfferings, { query: {} });
      assert.deepEqual(plans.map((p) => p.id).filter((id) => id.startsWith("PLAN_")).sort(), [
        "PLAN_L",
        "PLAN_M",
        "PLAN_S",
      ]);
      const crm = createClient({ baseUrl: running.urls.crm, token: TOKEN, service: "t" });
      const count = await crm.call(countMsisdnRoute, { query: {} });
      assert.equal(count.total, 1000);

      // Payment asks CRM (over HTTP, as default) whether the customer exists.
      const payment = createClient({ baseUrl: running.urls.payment, token: TOKEN, service: "t" });
      const customerId = await createCustomer(crm);
      const card = tokenizeCard({ cardNumber: "4242 4242 4242 4242", expMonth: 12, expYear: 2099 });
      const method = await payment.call(createPaymentMethod, { body: { customerId, ...card } });
      assert.equal(method.isDefault, true);
      await assert.rejects(
        payment.call(createPaymentMethod, { body: { customerId: "CUST-00000000", ...card } }),
        (e: unknown) =>
          e instanceof PolicyViolation && e.rule === "payment_method.add.customer_exists",
      );
    } finally {
      await running.stop();
      await db.drop();
    }
  },
});
