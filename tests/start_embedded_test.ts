/**
 * The zero-configuration default: no `BSS_DB_URL`, no tokens. `main.ts` starts the embedded
 * Postgres under `BSS_DATA_DIR`, generates its tokens there, serves, stops cleanly on SIGINT,
 * and a second start reuses both.
 */
import assert from "node:assert/strict";
import { SERVICES } from "../http/services.ts";
import {
  embeddedDataDir,
  freePort,
  freePortOffset,
  isFree,
  kill,
  spawnMain,
  stopMain,
  waitHealthy,
} from "./support/http.ts";

const dataDir = await embeddedDataDir();

const env = {
  BSS_DATA_DIR: dataDir,
  BSS_EMBEDDED_PG_PORT: String(freePort()),
  BSS_ALLOW_ADMIN_RESET: "true",
};

Deno.test({
  name: "main.ts runs on embedded Postgres and local tokens, and reuses them on restart",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const offset = freePortOffset();
    const crm = `http://127.0.0.1:${SERVICES.crm.port + offset}`;
    const first = spawnMain({ ...env, BSS_PORT_OFFSET: String(offset) });
    let token: string;
    try {
      await waitHealthy(first, offset, { ms: 120_000 });
      assert.match(first.output(), new RegExp(`tokens: +${dataDir}/tokens\\.json`));
      assert.match(first.output(), new RegExp(`\\(${dataDir}/pg\\)`));
      token = JSON.parse(await Deno.readTextFile(`${dataDir}/tokens.json`)).BSS_API_TOKEN;
      const frozen = await fetch(`${crm}/admin-api/v1/clock/freeze`, {
        method: "POST",
        headers: { "x-bss-api-token": token, "content-type": "application/json" },
        body: JSON.stringify({ at: "2031-01-01T00:00:00Z" }),
      });
      assert.equal(frozen.status, 200);
      await frozen.body?.cancel();
      assert.equal(await stopMain(first, { ms: 15_000 }), 0);
    } finally {
      await kill(first);
    }
    assert.ok(isFree(Number(env.BSS_EMBEDDED_PG_PORT)), "the embedded server stopped");

    const second = spawnMain({ ...env, BSS_PORT_OFFSET: String(offset) });
    try {
      await waitHealthy(second, offset, { ms: 60_000 });
      const now = await fetch(`${crm}/admin-api/v1/clock/now`, {
        headers: { "x-bss-api-token": token },
      });
      assert.equal((await now.json()).frozenAt, "2031-01-01T00:00:00.000Z");
      assert.equal(await stopMain(second, { ms: 15_000 }), 0);
    } finally {
      await kill(second);
    }
  },
});

Deno.test("teardown", async () => {
  await Deno.remove(dataDir, { recursive: true });
});
