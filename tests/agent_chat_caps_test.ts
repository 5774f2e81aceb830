/**
 * The customer chat's caps on a real database: per customer per hour, per IP per hour, the
 * monthly cost cap from the usage table, and failing closed when a check cannot be made.
 */
import assert from "node:assert/strict";
import { ChatCaps, periodOf } from "../cockpit/agent/chat_caps.ts";
import { pool } from "../kernel/db/connect.ts";
import { freshDatabase } from "./support/db.ts";

const LIMITS = { perCustomerPerHour: 2, monthlyCostCents: 10, perIpPerHour: 3 };
const at = (iso: string) => new Date(iso);

Deno.test({
  name: "chat caps: hourly per customer, per IP, monthly cost, fail closed",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const db = await freshDatabase("agent_chat_caps");
    try {
      const caps = new ChatCaps(db.sql, LIMITS);
      const t0 = at("2026-06-10T10:00:00Z");
      // Two turns an hour for CUST-A; the third is refused until the first leaves the window.
      assert.equal(await caps.check("CUST-A", "10.0.0.1", t0), undefined);
      await caps.record("CUST-A", "10.0.0.1", 1, t0);
      await caps.record("CUST-A", "10.0.0.1", 1, at("2026-06-10T10:20:00Z"));
      const hourly = await caps.check("CUST-A", "10.0.0.9", at("2026-06-10T10:30:00Z"));
      assert.deepEqual(hourly, { cap: "hourly_rate_cap", retryAt: at("2026-06-10T11:00:00Z") });
      assert.equal(await caps.check("CUST-A", "10.0.0.9", at("2026-06-10T11:00:01Z")), undefined);

      // The IP's third request of the hour is its last; a new customer from it is refused.
      await caps.record("CUST-B", "10.0.0.1", 0, at("2026-06-10T10:40:00Z"));
      const ip = await caps.check("CUST-C", "10.0.0.1", at("2026-06-10T10:45:00Z"));
      assert.equal(ip?.cap, "ip_rate_cap");
      assert.equal(await caps.check("CUST-C", "10.0.0.2", at("2026-06-10T10:45:00Z")), undefined);

      // Cost accumulates per month in the table; at the limit the month is closed.
      await caps.record("CUST-D", undefined, 9, at("2026-06-10T07:00:00Z"));
      assert.equal(await caps.check("CUST-D", undefined, t0), undefined);
      await caps.record("CUST-D", undefined, 1, at("2026-06-10T08:00:00Z"));
      const [row] = await db.sql`
        select requests_count, cost_cents from cockpit.chat_usage
        where customer_id = 'CUST-D' and period_yyyymm = ${periodOf(t0)}`;
      assert.deepEqual({ ...row }, { requests_count: 2, cost_cents: 10 });
      assert.deepEqual(await caps.check("CUST-D", undefined, t0), {
        cap: "monthly_cost_cap",
        retryAt: at("2026-07-01T00:00:00Z"),
      });
      // Another process's caps read the same month.
      const other = new ChatCaps(db.sql, LIMITS);
      assert.equal((await other.check("CUST-D", undefined, t0))?.cap, "monthly_cost_cap");
      assert.equal(await other.check("CUST-D", undefined, at("2026-07-01T00:00:00Z")), undefined);

      // A database that cannot answer refuses the turn.
      const dead = pool(db.url, 1);
      await dead.end();
      const failed = await new ChatCaps(dead, LIMITS).check("CUST-E", undefined, t0);
      assert.equal(failed?.cap, "cap_check_failed");
    } finally {
      await db.drop();
    }
  },
});
