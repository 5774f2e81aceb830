/**
 * Scenarios never touch the operator's data by accident: `bss scenario run-all` (run as a
 * user runs it, in its own process) resets, freezes and advances the clock, signs up and
 * renews inside a sandbox database of its own, and the running system's customer, balance,
 * charges and clock are exactly as before; the sandbox database is gone afterwards. `--live`
 * is refused where the system does not allow admin reset.
 */
import assert from "node:assert/strict";
import { ADMIN_URL } from "./support/db.ts";
import { runDeno, TOKEN } from "./support/http.ts";
import { order, signupCustomer } from "./support/signup.ts";
import { startSystem } from "./support/system.ts";
import { pool } from "../kernel/db/connect.ts";
import type { Pool } from "../kernel/db/types.ts";

const ROOT = new URL("..", import.meta.url).pathname;

const DESTRUCTIVE = `name: resets and moves the clock
setup: {reset_operational_data: true, reset_sequences: true, freeze_clock_at: "2031-03-01T00:00:00Z"}
steps:
  - {name: forty days on, action: clock.advance, args: {duration: 40d}}
  - name: a customer of its own
    action: customer.create
    args: {name: "Sandbox Sam", email: "sam-{{ run_id }}@example.test"}
    capture: {cid: "$.id"}
`;

/** What the operator would notice if a scenario had touched it. */
async function snapshot(sql: Pool) {
  const [clock] = await sql`select offset_seconds, frozen_at from kernel.clock`;
  const customers = await sql`select id, status from crm.customer order by id`;
  const balances = await sql`
    select subscription_id, allowance_type, consumed, total from subscription.bundle_balance
    order by 1, 2`;
  const charges = await sql`select id, status from payment.payment_attempt order by id`;
  return { clock, customers, balances, charges };
}

const bss = (env: Record<string, string>, ...args: string[]) =>
  runDeno(env, "run", "-A", "cockpit/bss/main.ts", ...args);

Deno.test({
  name: "a scenario run leaves the running system's customer, balance and clock untouched",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sys = await startSystem("scenario_sandbox");
    const dir = await Deno.makeTempDir();
    try {
      const customerId = await signupCustomer(sys.client);
      assert.equal((await order(sys.client, customerId)).state, "completed");
      const before = await snapshot(sys.db.sql);
      assert.equal(before.customers.length, 1);
      assert.ok(before.balances.length > 0);

      await Deno.writeTextFile(`${dir}/destructive.yaml`, DESTRUCTIVE);
      await Deno.copyFile(`${ROOT}/scenarios/renewal.yaml`, `${dir}/renewal.yaml`);
      const env = {
        BSS_DB_URL: sys.db.url,
        BSS_API_TOKEN: TOKEN,
        BSS_PORT_OFFSET: String(sys.config.BSS_PORT_OFFSET),
        BSS_PROVISIONING_DELAY_SCALE: "0",
        BSS_ALLOW_ADMIN_RESET: "false",
      };
      const run = await bss(env, "scenario", "run-all", dir);
      assert.equal(run.code, 0, run.out + run.err);
      assert.match(run.out, /^sandbox: database (bss_sandbox_\w+), its own clock/m);
      assert.match(run.out, /^2\/2 scenarios passed$/m);

      assert.deepEqual(await snapshot(sys.db.sql), before);
      const admin = pool(ADMIN_URL, 1);
      const sandbox = /database (bss_sandbox_\w+)/.exec(run.out)![1];
      const left = await admin`select 1 from pg_database where datname = ${sandbox}`;
      await admin.end();
      assert.equal(left.length, 0, "the sandbox database is dropped");

      const live = await bss(env, "scenario", "run", `${dir}/destructive.yaml`, "--live");
      assert.equal(live.code, 4, "refused, as a gated verb is");
      assert.match(live.err, /--live is refused: this system does not allow admin reset/);
      assert.deepEqual(await snapshot(sys.db.sql), before);
    } finally {
      await Deno.remove(dir, { recursive: true });
      await sys.stop();
    }
  },
});
