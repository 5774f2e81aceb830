/**
 * The operational data reset (docs/flows.md §7.2): gated by BSS_ALLOW_ADMIN_RESET; clears
 * customers, orders, lines, payments, usage and tasks, frees the pools, keeps reference data,
 * records a marker per service, and the system works again afterwards.
 */
import assert from "node:assert/strict";
import { resetOperationalData } from "../http/admin/reset.ts";
import { RESET_PLANS } from "../http/admin/reset_plans.ts";
import type { RoleName } from "../http/roles.ts";
import { HttpError } from "../http/errors.ts";
import { order, signupCustomer } from "./support/signup.ts";
import { startSystem } from "./support/system.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const count = async (sql: import("../kernel/db/types.ts").Pool, table: string) =>
  (await sql.unsafe(`select count(*)::int as n from ${table}`))[0].n as number;

Deno.test({
  name: "reset clears operational data of every service, keeps reference data, frees the pools",
  ...opts,
  async fn() {
    const sys = await startSystem("admin_reset");
    const { client, db } = sys;
    try {
      const customerId = await signupCustomer(client);
      assert.equal((await order(client, customerId)).state, "completed");
      // A keyed request's stored answer, as an order create with an Idempotency-Key leaves it.
      await db.sql`
        insert into idempotency.request (tenant_id, scope, key, fingerprint, lease_until, state)
        values ('DEFAULT', 'com.order.create', 'k-1', 'f', now(), 'done')`;
      assert.ok(await count(db.sql, "effect.effect") > 0, "the activation ran as an effect");
      const services = Object.keys(RESET_PLANS) as RoleName[];
      for (const service of services) {
        const r = await client[service].call(resetOperationalData);
        assert.equal(r.service, service);
      }
      for (
        const table of [
          "crm.customer",
          "crm.interaction",
          "order_mgmt.product_order",
          "service_inventory.service_order",
          "subscription.subscription",
          "payment.payment_attempt",
          "payment.payment_method",
          "provisioning.provisioning_task",
          "effect.effect",
          "idempotency.request",
        ]
      ) assert.equal(await count(db.sql, table), 0, table);
      assert.equal(await count(db.sql, "catalog.product_offering") > 0, true);
      assert.equal(await count(db.sql, "crm.agent") > 0, true);
      assert.equal(await count(db.sql, "provisioning.fault_injection"), 6);
      const [{ busy }] = await db.sql`
        select count(*)::int as busy from inventory.msisdn_pool where status <> 'available'`;
      assert.equal(busy, 0);
      const markers = await db.sql`
        select aggregate_id, channel from audit.domain_event
        where event_type = 'admin.operational_data_reset' order by id`;
      assert.deepEqual(markers.map((m) => m.aggregate_id), services);
      assert.ok(markers.every((m) => m.channel === "cli"));
      // The system works again on the same reference data.
      const again = await signupCustomer(client);
      assert.equal((await order(client, again)).state, "completed");
    } finally {
      await sys.stop();
    }
  },
});

Deno.test({
  name: "reset is refused (403 ADMIN_RESET_DISABLED) unless BSS_ALLOW_ADMIN_RESET is set",
  ...opts,
  async fn() {
    const sys = await startSystem("admin_reset_off", { BSS_ALLOW_ADMIN_RESET: "false" });
    try {
      await assert.rejects(
        sys.client.crm.call(resetOperationalData),
        (e: unknown) =>
          e instanceof HttpError && e.status === 403 && e.body.code === "ADMIN_RESET_DISABLED",
      );
      assert.equal(await count(sys.db.sql, "crm.agent") > 0, true);
    } finally {
      await sys.stop();
    }
  },
});
