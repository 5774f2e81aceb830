/**
 * `deno task repl` finds the system as the `bss` CLI does: through the live instance of its
 * data dir (`instance.json`: port offset, database), not the default ports; with no instance
 * and nothing naming the services it says so and exits 1 before opening anything.
 * `bss trace` and `deno task actors`, which read the database themselves, open nothing either.
 */
import assert from "node:assert/strict";
import { writeInstance } from "../kernel/instance.ts";
import { NOT_RUNNING } from "../cockpit/running.ts";
import { COCKPIT_TOKEN, PORTAL_TOKEN, runTyped, TOKEN } from "./support/http.ts";
import { startSystem } from "./support/system.ts";

/** The entry point `main` (relative to tests/) with `env` as its only BSS settings, fed `lines`. */
function runMain(main: string, args: string[], env: Record<string, string>, lines: string[] = []) {
  const settings = { BSS_ENV: "test", BSS_OTEL_ENABLED: "false", ...env };
  const path = new URL(main, import.meta.url).pathname;
  const input = lines.map((l) => `${l}\n`).join("");
  return runTyped(Deno.execPath(), ["run", "-A", path, ...args], settings, input);
}

/** The REPL with `env` as its only BSS settings, fed `lines`. */
function repl(env: Record<string, string>, lines: string[]) {
  return runMain("../cockpit/repl/main.ts", ["--new"], env, lines);
}

Deno.test("the REPL with no instance in its data dir: not running, exit 1", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bss_repl_none_" });
  try {
    const run = await repl({ BSS_DATA_DIR: dir, BSS_COCKPIT_DIR: dir }, ["list plans"]);
    assert.equal(run.code, 1, run.out);
    assert.equal(run.err.trim(), NOT_RUNNING);
    assert.doesNotMatch(run.out, /bss · cockpit/, "no session was opened");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bss trace and deno task actors with no instance: not running, nothing created", async () => {
  const dir = await Deno.makeTempDir({ prefix: "bss_inspect_none_" });
  const run = (main: string, args: string[]) => runMain(main, args, { BSS_DATA_DIR: dir });
  try {
    const trace = await run("../cockpit/bss/main.ts", ["trace", "get", "abc"]);
    assert.equal(trace.code, 1, trace.out);
    assert.equal(trace.err.trim(), NOT_RUNNING);
    const actors = await run("../cockpit/actors/main.ts", ["kinds"]);
    assert.equal(actors.code, 1, actors.out);
    assert.equal(actors.err.trim(), `actors: ${NOT_RUNNING}`);
    // Their help needs nothing running.
    assert.equal((await run("../cockpit/actors/main.ts", ["kinds", "--help"])).code, 0);
    assert.deepEqual([...Deno.readDirSync(dir)], [], "no embedded Postgres initialised");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "the REPL reaches the instance of its data dir on that instance's port offset",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sys = await startSystem("repl_instance");
    const dir = await Deno.makeTempDir({ prefix: "bss_repl_instance_" });
    try {
      // This process stands in for `deno task start`: alive, on the system's offset.
      writeInstance(dir, {
        pid: Deno.pid,
        startedAt: new Date().toISOString(),
        portOffset: sys.config.BSS_PORT_OFFSET,
        host: "127.0.0.1",
        urls: sys.urls,
        dbUrl: sys.db.url,
        adminReset: false,
      });
      const run = await repl({
        BSS_DATA_DIR: dir,
        BSS_COCKPIT_DIR: dir,
        BSS_API_TOKEN: TOKEN,
        BSS_PORTAL_SELF_SERVE_API_TOKEN: PORTAL_TOKEN,
        BSS_OPERATOR_COCKPIT_API_TOKEN: COCKPIT_TOKEN,
      }, ["list plans", "/exit"]);
      assert.equal(run.code, 0, `${run.out}\n${run.err}`);
      assert.match(run.out, /· calling catalog\.list_active_offerings\n/);
      assert.match(run.out, /PLAN_M/, run.out);
      assert.doesNotMatch(run.out, /ERROR/);
    } finally {
      await Deno.remove(dir, { recursive: true });
      await sys.stop();
    }
  },
});
