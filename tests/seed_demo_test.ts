import assert from "node:assert/strict";
import { seedReferenceData } from "../actors/seed.ts";
import { clock } from "../kernel/clock.ts";
import { DEMO_CUSTOMERS, seedDemo } from "../cockpit/seed/demo.ts";
import { freshDatabase } from "./support/db.ts";
import { testConfig } from "./support/http.ts";

Deno.test({
  name: "demo seed creates verified customers with a card on file, once",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const db = await freshDatabase("seed_demo");
    try {
      await clock.refresh(db.sql);
      await seedReferenceData(db.sql);
      const config = testConfig();
      const first = await seedDemo(config, db.sql);
      const again = await seedDemo(config, db.sql);
      assert.deepEqual(again, first);
      assert.equal(Object.keys(first).length, DEMO_CUSTOMERS.length);
      const [row] = await db.sql`
        select count(*) filter (where kyc_status = 'verified')::int as verified,
               count(*)::int as total from crm.customer`;
      assert.deepEqual(row, { verified: DEMO_CUSTOMERS.length, total: DEMO_CUSTOMERS.length });
      const [{ cards }] = await db.sql`
        select count(*)::int as cards from payment.payment_method where status = 'active'`;
      assert.equal(cards, DEMO_CUSTOMERS.length);
    } finally {
      await db.drop();
    }
  },
});
