/**
 * The pool's planning mode: generic plans by default (each prepared statement planned once per
 * connection), Postgres's own choice with `BSS_DB_GENERIC_PLANS=false`.
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
