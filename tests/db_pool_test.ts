/**
 * The pool's conventions: generic plans by default (each prepared statement planned once per
 * connection), Postgres's own choice with `BSS_DB_GENERIC_PLANS=false`; and an idle connection
 * handed out most recently used first (the patched driver in `vendor/postgres`), so light load
 * runs on the few connections whose statements are already prepared and planned.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../kernel/config.ts";
import { pool } from "../kernel/db/connect.ts";
import { ADMIN_URL } from "./support/db.ts";

Deno.test("a pool plans generically unless told not to; the setting defaults on", async () => {
  const token = { BSS_API_TOKEN: "t".repeat(40) };
  assert.equal(loadConfig(token).BSS_DB_GENERIC_PLANS, true);
  assert.equal(loadConfig({ ...token, BSS_DB_GENERIC_PLANS: "false" }).BSS_DB_GENERIC_PLANS, false);
  for (const [generic, mode] of [[true, "force_generic_plan"], [false, "auto"]] as const) {
    const sql = pool(ADMIN_URL, 1, generic);
    try {
      const [row] = await sql`select current_setting('plan_cache_mode') as mode`;
      assert.equal(row.mode, mode);
    } finally {
      await sql.end();
    }
  }
});

Deno.test("a pool hands out its most recently used idle connection, not its oldest", async () => {
  const sql = pool(ADMIN_URL, 4);
  try {
    // Four statements at once open four connections; then they are all idle.
    const opened = await Promise.all(
      [0, 1, 2, 3].map(() => sql`select pg_backend_pid() as pid, pg_sleep(0.05)`),
    );
    assert.equal(new Set(opened.map(([r]) => r.pid)).size, 4);
    // One statement at a time: each goes to the connection the previous one just gave back.
    // The driver as published takes the oldest idle connection and would cycle all four.
    const pids = new Set<number>();
    for (let i = 0; i < 12; i++) pids.add((await sql`select pg_backend_pid() as pid`)[0].pid);
    assert.equal(pids.size, 1);
    // A transaction takes its connection the same way.
    const [{ pid }] = await sql.begin((tx) => tx`select pg_backend_pid() as pid`);
    assert.ok(pids.has(pid));
  } finally {
    await sql.end();
  }
});
