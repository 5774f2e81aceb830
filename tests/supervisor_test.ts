/**
 * `deno task start` (main.ts --supervise): a role process killed with SIGKILL is started
 * again and serves; a signal stops everything (exit 0), the embedded Postgres included. A
 * first start that fails (a port in use) is reported once and ends it, not retried.
 */
import assert from "node:assert/strict";
import { SERVICES } from "../http/services.ts";
import {
  embeddedDataDir,
  freePort,
  freePortOffset,
  kill,
  spawnMain,
  stopMain,
  TOKEN,
} from "./support/http.ts";

async function waitFor(check: () => Promise<boolean>, what: string, ms = 120_000) {
  const until = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The pid of the supervised child: the one `main.ts` process whose parent is `parent`. */
async function childOf(parent: number): Promise<number | undefined> {
  const out = await new Deno.Command("ps", { args: ["-o", "pid=,args=", "--ppid", String(parent)] })
    .output();
  const pids = new TextDecoder().decode(out.stdout).split("\n")
    .filter((line) => line.includes("main.ts")).map((line) => Number(line.trim().split(/\s+/)[0]));
  return pids.length === 1 ? pids[0] : undefined;
}

/** A supervised `--role catalog` on a data dir, embedded Postgres port and offset of its own. */
async function catalogSetup() {
  const dataDir = await embeddedDataDir();
  const pgPort = freePort();
  const offset = freePortOffset();
  return {
    dataDir,
    catalogPort: SERVICES.catalog.port + offset,
    start: () =>
      spawnMain({
        BSS_DATA_DIR: dataDir,
        BSS_EMBEDDED_PG_PORT: String(pgPort),
        BSS_API_TOKEN: TOKEN,
        BSS_PORT_OFFSET: String(offset),
        BSS_LOG_LEVEL: "warn",
        BSS_KNOWLEDGE_REINDEX_ON_START: "false",
      }, ["--supervise", "--role", "catalog"]),
    /** Whether the embedded Postgres still listens. */
    pgListening: () =>
      Deno.connect({ hostname: "127.0.0.1", port: pgPort }).then(
        (c) => (c.close(), true),
        () => false,
      ),
  };
}

Deno.test({
  name: "the supervisor restarts a killed role process and stops cleanly with its Postgres",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const setup = await catalogSetup();
    const main = setup.start();
    const health = `http://127.0.0.1:${setup.catalogPort}/health/ready`;
    const ready = () => fetch(health).then((r) => (r.body?.cancel(), r.ok));
    try {
      await waitFor(ready, "the catalog");
      const first = await childOf(main.child.pid);
      assert.ok(first, "one supervised child");
      Deno.kill(first, "SIGKILL");
      await waitFor(async () => {
        const next = await childOf(main.child.pid);
        return next !== undefined && next !== first && await ready();
      }, "a new child serving");
      assert.match(main.output(), /supervisor\.child_died/);
      assert.equal(await stopMain(main, { ms: 30_000 }), 0);
      assert.equal(await setup.pgListening(), false, "the embedded Postgres stopped with it");
    } finally {
      // The child first: an orphan would hold the output pipe open.
      const child = await childOf(main.child.pid);
      if (child) Deno.kill(child, "SIGKILL");
      await kill(main);
      await Deno.remove(setup.dataDir, { recursive: true }).catch(() => {});
    }
  },
});

Deno.test({
  name: "a first start that fails ends the supervisor with the child's code, not a restart loop",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const setup = await catalogSetup();
    // Something else holds the catalog's port.
    const squatter = Deno.listen({ hostname: "127.0.0.1", port: setup.catalogPort });
    const main = setup.start();
    try {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const gaveUp = new Promise<string>((r) =>
        timer = setTimeout(() => r("still running"), 60_000)
      );
      assert.equal(await Promise.race([main.exited, gaveUp]), 1, main.output());
      clearTimeout(timer);
      assert.match(main.output(), /already in use/);
      assert.doesNotMatch(main.output(), /supervisor\.child_died/, "no restart");
      assert.equal(await setup.pgListening(), false, "the embedded Postgres stopped with it");
    } finally {
      squatter.close();
      await kill(main);
      await Deno.remove(setup.dataDir, { recursive: true }).catch(() => {});
    }
  },
});
