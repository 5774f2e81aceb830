/**
 * `bss scenario validate | list | run | run-all` (docs/cockpit.md §9.4): YAML files validated with
 * the offending key's path (or the verb not built), listed with INVALID marks, run with a
 * report, filtered by tag, and the exit codes (1 failed or invalid under validate, 2 misuse or
 * invalid under run).
 */
import assert from "node:assert/strict";
import { runCli } from "../cockpit/bss/cli.ts";
import { startSystem } from "./support/system.ts";

const GOOD = `name: clock reads
tags: [smoke]
steps:
  - {name: now, action: clock.now, capture: {t: "$.now"}}
  - name: running
    assert: {tool: clock.now, args: {}, expect: {now: {not_null: true}}}
`;
const FAILING = `name: wrong expectation
tags: [smoke, broken]
steps:
  - name: frozen
    assert: {tool: clock.now, expect: {mode: frozen}}
`;
const BAD = `name: bad
steps:
  - {name: a, action: clock.now, colour: red}
`;

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir();
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${name}`, text);
  }
  return dir;
}

const noConfig = () => {
  throw new Error("this command needs no configuration");
};

Deno.test("validate names the offending key; list marks invalid files; misuse exits 2", async () => {
  const dir = await folder({ "a.yaml": GOOD, "b.yml": BAD, "c.yaml": "name: [unclosed" });
  try {
    const valid = await runCli(["scenario", "validate", `${dir}/a.yaml`, `${dir}/b.yml`], {
      config: noConfig,
    });
    assert.equal(valid.code, 1);
    assert.equal(
      valid.stdout,
      `✓ ${dir}/a.yaml  clock reads\n✗ ${dir}/b.yml\n    steps.0.colour: unknown key\n`,
    );
    const yaml = await runCli(["scenario", "validate", `${dir}/c.yaml`], { config: noConfig });
    assert.match(yaml.stdout, /✗ .*c\.yaml\n {4}YAML: /);
    // A verb this system has not built is named before anything runs.
    const unbuilt = `${dir}/unbuilt.yml`;
    await Deno.writeTextFile(unbuilt, GOOD.replace("action: clock.now", "action: portal.nope"));
    const named = await runCli(["scenario", "validate", unbuilt], { config: noConfig });
    assert.equal(named.code, 1);
    assert.match(named.stdout, /steps\.0\.action: no tool or scenario verb "portal\.nope"/);
    await Deno.remove(unbuilt);

    const list = await runCli(["scenario", "list", dir], { config: noConfig });
    assert.equal(list.code, 0);
    assert.equal(
      list.stdout,
      [
        `${dir}/a.yaml  ·  clock reads  ·  smoke  ·  2 steps`,
        `${dir}/c.yaml  ·  INVALID`,
        `${dir}/b.yml  ·  INVALID`,
      ].join("\n") + "\n",
    );

    const both = await runCli(["scenario", "run", `${dir}/a.yaml`, "--no-llm", "--via-llm"], {
      config: noConfig,
    });
    assert.equal(both.code, 2);
    assert.match(both.stderr, /exclusive/);
    const invalid = await runCli(["scenario", "run", `${dir}/b.yml`], { config: noConfig });
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /steps\.0\.colour: unknown key/);
    const aborted = await runCli(["scenario", "run-all", dir], { config: noConfig });
    assert.equal(aborted.code, 2, "an invalid file aborts run-all before anything runs");
    assert.equal((await runCli(["scenario", "explode"], { config: noConfig })).code, 2);
    const help = await runCli(["scenario", "--help"], { config: noConfig });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /run-all \[DIR\] \[--no-llm\] \[--tag TAG\] \[--skip-tag TAG\]/);
    // Every scenario tagged `race` is also left out by --skip-tag race: nothing to run.
    const skipped = await runCli(
      ["scenario", "run-all", "scenarios", "--tag", "race", "--skip-tag", "race"],
      { config: noConfig },
    );
    assert.equal(skipped.code, 1);
    assert.match(skipped.stderr, /no scenario in scenarios matches/);
    assert.equal(
      (await runCli(["scenario", "run-all", "--skip-tag"], { config: noConfig })).code,
      2,
      "--skip-tag needs a value",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "run and run-all report each step, filter by tag and exit 1 on a failure",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sys = await startSystem("scenario_cli");
    const dir = await folder({ "a.yaml": GOOD, "b.yaml": FAILING });
    try {
      const options = { config: sys.config };
      const one = await runCli(["scenario", "run", `${dir}/a.yaml`, "--live"], options);
      assert.equal(one.code, 0, one.stdout + one.stderr);
      assert.match(one.stdout, /^ {2}1 {2}▶ {2}now .* ✓ {2}t=\d{4}-/m);
      assert.match(one.stdout, /^ {2}2 {2}= {2}running .* ✓/m);
      assert.match(one.stdout, /^PASS — clock reads {2}\(\d+ ms\) {2}2\/2 steps ok$/m);

      const all = await runCli(["scenario", "run-all", dir, "--live"], options);
      assert.equal(all.code, 1);
      assert.match(all.stdout, /^FAIL — wrong expectation .*\n┌─ step failed: frozen\n│ mode: /m);
      assert.match(all.stdout, /^1\/2 scenarios passed$/m);

      const tagged = await runCli(
        ["scenario", "run-all", dir, "--tag", "smoke", "--tag", "broken", "--live"],
        options,
      );
      assert.equal(tagged.code, 1);
      assert.doesNotMatch(tagged.stdout, /clock reads/);
      const none = await runCli(
        ["scenario", "run-all", dir, "--tag", "nothing", "--live"],
        options,
      );
      assert.equal(none.code, 1);
      assert.match(none.stderr, /no scenario in .* matches nothing/);
    } finally {
      await Deno.remove(dir, { recursive: true });
      await sys.stop();
    }
  },
});
