/**
 * One instance per data dir. Two `deno task start`s with different data dirs and offsets on
 * one machine never see each other: the CLI, `deno task actors` and `bss trace`, given only
 * `BSS_DATA_DIR`, reach the instance of that data dir through its `instance.json`; a second
 * start on a busy data dir is refused, as is a start whose service ports are taken (naming the
 * port and the setting); SIGINT and SIGTERM stop quickly and leave no Postgres process behind;
 * a stopped instance says how to start it. The embedded Postgres refuses a port held by
 * another server and a data dir its OS user cannot enter.
 */
import assert from "node:assert/strict";
import { EmbeddedError, startEmbedded } from "../kernel/db/embedded.ts";
import { readInstance } from "../kernel/instance.ts";
import {
  embeddedDataDir,
  freePort,
  freePortOffset,
  kill,
  type MainProcess,
  runDeno,
  spawnMain,
  stopMain,
  waitHealthy,
} from "./support/http.ts";

const run = (script: string, env: Record<string, string>, ...args: string[]) =>
  runDeno(env, "run", "-A", script, ...args);
const bss = (dataDir: string, ...args: string[]) =>
  run("cockpit/bss/main.ts", { BSS_DATA_DIR: dataDir }, ...args);
const actors = (dataDir: string, ...args: string[]) =>
  run("cockpit/actors/main.ts", { BSS_DATA_DIR: dataDir }, ...args);

/** Postgres server processes serving `<dataDir>/pg`. */
async function postgresOf(dataDir: string): Promise<string[]> {
  const ps = await new Deno.Command("ps", { args: ["-eo", "pid,args"] }).output();
  const real = await Deno.realPath(dataDir);
  return new TextDecoder().decode(ps.stdout).split("\n")
    .filter((l) => l.includes(`-D ${real}/pg`));
}

interface Started {
  dir: string;
  offset: number;
  main: MainProcess;
}

async function startInstance(dir: string): Promise<Started> {
  const offset = freePortOffset();
  const main = spawnMain({
    BSS_DATA_DIR: dir,
    BSS_PORT_OFFSET: String(offset),
    BSS_EMBEDDED_PG_PORT: String(freePort()),
  });
  await waitHealthy(main, offset, { ms: 120_000 });
  return { dir, offset, main };
}

Deno.test({
  name: "two instances never see each other; stops leave no Postgres; a stopped one says so",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    // A: a fresh `mktemp -d` (mode 0700), which the embedded Postgres's OS user must enter.
    const dirA = await Deno.makeTempDir({ dir: "/tmp", prefix: "bss_instance_a_" });
    const dirB = await embeddedDataDir();
    const dirC = await embeddedDataDir();
    let a: Started | undefined, b: Started | undefined;
    try {
      [a, b] = [await startInstance(dirA), await startInstance(dirB)];
      const recorded = readInstance(dirA)!;
      assert.equal(recorded.pid, a.main.child.pid);
      assert.equal(recorded.portOffset, a.offset);

      const created = await bss(
        dirA,
        "customer",
        "create",
        "--name",
        "Ann A",
        "--email",
        "ann@a.test",
        "--json",
      );
      assert.equal(created.code, 0, created.err);
      const ann = JSON.parse(created.out).id;
      const listA = await bss(dirA, "customer", "list", "--json");
      const listB = await bss(dirB, "customer", "list", "--json");
      assert.ok(JSON.parse(listA.out).some((c: { id: string }) => c.id === ann));
      assert.ok(!JSON.parse(listB.out).some((c: { id: string }) => c.id === ann));

      const shown = await actors(dirA, "show", "customer", ann, "--json");
      assert.equal(shown.code, 0, shown.err);
      // The state is read through the customer kind, as the process hosting it would.
      const detail = JSON.parse(shown.out);
      assert.equal(detail.state.status, "ok", JSON.stringify(detail.state));
      assert.equal(detail.state.value.id, ann);
      assert.equal((await actors(dirB, "show", "customer", ann)).code, 3, "not found in B");

      const events = await bss(dirA, "events", "list", "--aggregate_id", ann, "--json");
      const traceId = JSON.parse(events.out)[0].traceId;
      assert.equal((await bss(dirA, "trace", "get", traceId, "--width", "100")).code, 0);
      const elsewhere = await bss(dirB, "trace", "get", traceId);
      assert.equal(elsewhere.code, 3, "B's span store has no trace of A");

      const again = spawnMain({ BSS_DATA_DIR: dirA, BSS_EMBEDDED_PG_PORT: String(freePort()) });
      assert.equal(await again.exited, 1);
      assert.match(again.output(), new RegExp(`bss: already running on ${dirA} \\(pid \\d+`));

      const clash = spawnMain({
        BSS_DATA_DIR: dirC,
        BSS_PORT_OFFSET: String(a.offset),
        BSS_EMBEDDED_PG_PORT: String(freePort()),
      });
      assert.equal(await clash.exited, 1);
      assert.match(
        clash.output(),
        /bss: port \d+ on 127\.0\.0\.1 is already in use .*BSS_PORT_OFFSET/,
      );
      assert.doesNotMatch(clash.output(), /\n\s+at /, "no stack trace");
      assert.deepEqual(await postgresOf(dirC), [], "a failed start stops its Postgres");

      for (const [instance, signal] of [[a, "SIGINT"], [b, "SIGTERM"]] as const) {
        assert.equal(await stopMain(instance.main, { signal, ms: 10_000 }), 0);
        assert.deepEqual(await postgresOf(instance.dir), [], `${signal}: no Postgres left`);
        assert.equal(readInstance(instance.dir), undefined, `${signal}: instance file removed`);
        assert.doesNotMatch(instance.main.output(), /drain\.failed|CONNECTION_CLOSED/);
      }
      const stopped = await bss(dirA, "customer", "list");
      assert.equal(stopped.code, 1);
      assert.equal(stopped.err, "bss is not running here — start it with `deno task start`\n");
    } finally {
      for (const s of [a, b]) if (s) await kill(s.main);
      for (const dir of [dirA, dirB, dirC]) await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("the embedded Postgres refuses a port another server holds", async () => {
  const dir = await embeddedDataDir();
  try {
    await assert.rejects(
      () => startEmbedded(dir, 5432),
      (e: Error) =>
        e instanceof EmbeddedError &&
        /port 5432 is in use by another server, not the Postgres of .*: set BSS_EMBEDDED_PG_PORT/
          .test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "a data dir under a folder the postgres user cannot enter is refused by name",
  ignore: Deno.uid() !== 0,
  async fn() {
    const closed = await Deno.makeTempDir({ dir: "/tmp", prefix: "bss_closed_" });
    try {
      await assert.rejects(
        () => startEmbedded(`${closed}/data`, freePort()),
        (e: Error) =>
          e instanceof EmbeddedError &&
          e.message.includes(`cannot enter ${closed} (mode 700): chmod o+x ${closed}`),
      );
    } finally {
      await Deno.remove(closed, { recursive: true });
    }
  },
});
