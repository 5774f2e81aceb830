/**
 * Every `deno task` a user runs answers `--help` with its usage and exit 0, and a bad option
 * with the usage and exit 2 — without opening a database, starting Postgres or touching the
 * data dir (a question is not a go-ahead).
 */
import assert from "node:assert/strict";
import { runDeno } from "./support/http.ts";

/** A stack frame: what a user must never see for a question or a typo. */
const STACK = /\n\s+at .*:\d+:\d+/;

const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));

/** The script a task runs (`deno run -A <script> …`), for the tasks a user runs. */
const SCRIPTS = Object.entries(config.tasks as Record<string, string>)
  .map(([task, command]) => [task, /^deno run -A (\S+\.ts)/.exec(command)?.[1]] as const)
  .filter((entry): entry is readonly [string, string] => entry[1] !== undefined);

Deno.test("every deno task answers --help and a bad option without touching anything", async () => {
  assert.ok(SCRIPTS.length >= 9, `tasks found: ${SCRIPTS.map(([t]) => t).join(", ")}`);
  const dataDir = await Deno.makeTempDir({ prefix: "bss_task_help_" });
  // Nothing listens here: a task that opened its database would fail, not print its usage.
  const env = { BSS_DATA_DIR: dataDir, BSS_DB_URL: "postgres://nobody@127.0.0.1:1/none" };
  try {
    for (const [task, script] of SCRIPTS) {
      const help = await runDeno(env, "run", "-A", script, "--help");
      assert.equal(help.code, 0, `deno task ${task} --help: ${help.err}`);
      assert.match(help.out, /usage/i, `deno task ${task} --help prints its usage`);
      assert.doesNotMatch(help.err, STACK, `deno task ${task} --help: no stack trace`);

      const bad = await runDeno(env, "run", "-A", script, "--no-such-option");
      assert.equal(bad.code, 2, `deno task ${task} --no-such-option: ${bad.out}${bad.err}`);
      assert.match(bad.out + bad.err, /usage/i, `deno task ${task}: the usage on a bad option`);
      assert.doesNotMatch(bad.err, STACK, `deno task ${task} --no-such-option: no stack`);
    }
    assert.deepEqual([...Deno.readDirSync(dataDir)], [], "the data dir is untouched");
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
