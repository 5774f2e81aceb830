/**
 * The roles as `deno task start` runs them: every service on its port (offset), reference
 * data seeded, and the built domains answering through typed clients.
 */
import assert from "node:assert/strict";
import { seedReferenceData } from "../actors/seed.ts";
import { clock } from "../kernel/clock.ts";
import { createClient } from "../http/client.ts";
import { listProductOfferings } from "../http/catalog/product_catalog.ts";
import { countMsisdnRoute } from "../http/inventory/msisdn.ts";
import { selectRoles } from "../http/roles.ts";
import { startRoles } from "../http/start.ts";
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
    } finally {
      await running.stop();
      await db.drop();
    }
  },
});
