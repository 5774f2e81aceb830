/**
 * `deno run -A main.ts` end to end against an external Postgres: every service healthy on
 * its port (+ offset), a clean exit 0 on SIGINT and SIGTERM, a second start on the same
 * database that finds its data, and `--role` serving only the roles it names.
 */
import assert from "node:assert/strict";
import { SERVICES } from "../http/services.ts";
import { freshDatabase } from "./support/db.ts";
import {
  freePortOffset,
  isFree,
  kill,
  spawnMain,
  stopMain,
  TOKEN,
  waitHealthy,
} from "./support/http.ts";

const db = await freshDatabase("start");
const dataDir = await Deno.makeTempDir({ prefix: "bss_start_" });
const env = {
  BSS_DB_URL: db.url,
  BSS_DATA_DIR: dataDir,
  BSS_API_TOKEN: TOKEN,
  BSS_ALLOW_ADMIN_RESET: "true",
};
const headers = { "x-bss-api-token": TOKEN, "content-type": "application/json" };

Deno.test({
  name: "main.ts serves every service, stops on SIGINT, and restarts on the same data",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const offset = freePortOffset();
    const first = spawnMain({ ...env, BSS_PORT_OFFSET: String(offset) });
    try {
      await waitHealthy(first, offset);
      for (const { name, port } of Object.values(SERVICES)) {
        assert.match(
          first.output(),
          new RegExp(`${name} +http://127\\.0\\.0\\.1:${port + offset}`),
        );
      }
      const crm = `http://127.0.0.1:${SERVICES.crm.port + offset}`;
      const ready = await fetch(`${crm}/health/ready`);
      assert.deepEqual(await ready.json(), { status: "ready", service: "crm" });
      const frozen = await fetch(`${crm}/admin-api/v1/clock/freeze`, {
        method: "POST",
        headers,
        body: JSON.stringify({ at: "2030-05-05T00:00:00Z" }),
      });
      assert.equal(frozen.status, 200);
      await frozen.body?.cancel();
      assert.equal(await stopMain(first), 0);
    } finally {
      await kill(first);
    }
    assert.ok(isFree(SERVICES.crm.port + offset), "the port is released");

    const second = spawnMain({ ...env, BSS_PORT_OFFSET: String(offset) });
    try {
      await waitHealthy(second, offset);
      const now = await fetch(
        `http://127.0.0.1:${SERVICES.catalog.port + offset}/admin-api/v1/clock/now`,
        { headers },
      );
      assert.equal((await now.json()).frozenAt, "2030-05-05T00:00:00.000Z");
      assert.equal(await stopMain(second), 0);
    } finally {
      await kill(second);
    }
  },
});

Deno.test({
  name: "--role serves only the named roles; SIGTERM stops cleanly too",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const offset = freePortOffset();
    const main = spawnMain({ ...env, BSS_PORT_OFFSET: String(offset) }, ["--role", "crm,com"]);
    try {
      await waitHealthy(main, offset, { services: ["crm", "com"] });
      assert.ok(isFree(SERVICES.catalog.port + offset), "catalog is not served");
      assert.doesNotMatch(main.output(), /catalog/);
      assert.equal(await stopMain(main, { signal: "SIGTERM" }), 0);
    } finally {
      await kill(main);
    }
  },
});

Deno.test({
  name: "teardown",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await db.drop();
    await Deno.remove(dataDir, { recursive: true });
  },
});
