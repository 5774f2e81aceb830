/**
 * A destructive verb on a real terminal (`deno task bss` under a pseudo-terminal from
 * util-linux `script`): without `--allow-destructive` the operator is asked to type the verb;
 * a wrong answer does nothing (exit 4), the verb opens the gate. Off a terminal the same
 * command is refused with exit 4 naming the flag. No instance runs on the data dir, so an
 * opened gate ends at "not running" (exit 1) and nothing is ever reset.
 */
import assert from "node:assert/strict";
import { runTyped } from "./support/http.ts";

const CLI = new URL("../cockpit/bss/main.ts", import.meta.url).pathname;
const script = await new Deno.Command("script", { args: ["--version"] }).output()
  .then((r) => r.success, () => false);

/** Runs `bss admin reset-operational-data` with `typed` on stdin, on a terminal or not. */
async function reset(dataDir: string, typed: string, terminal: boolean) {
  const bss = `${Deno.execPath()} run -A ${CLI} admin reset-operational-data`;
  const run = await runTyped(
    terminal ? "script" : Deno.execPath(),
    terminal ? ["-qec", bss, "/dev/null"] : ["run", "-A", CLI, "admin", "reset-operational-data"],
    { BSS_DATA_DIR: dataDir, NO_COLOR: "1" },
    `${typed}\n`,
  );
  return { code: run.code, text: run.out + run.err };
}

Deno.test({
  name: "a destructive verb on a terminal runs only once its verb is typed",
  ignore: !script,
  async fn() {
    const dataDir = await Deno.makeTempDir({ prefix: "bss_confirm_" });
    try {
      const wrong = await reset(dataDir, "yes", true);
      assert.equal(wrong.code, 4, wrong.text);
      assert.match(wrong.text, /Type "reset-operational-data" to run it/);
      assert.match(wrong.text, /not confirmed: nothing was done/);

      const typed = await reset(dataDir, "reset-operational-data", true);
      assert.equal(typed.code, 1, typed.text);
      assert.match(typed.text, /bss is not running here/);

      const piped = await reset(dataDir, "reset-operational-data", false);
      assert.equal(piped.code, 4, piped.text);
      assert.match(piped.text, /refused without --allow-destructive \(no terminal to confirm on\)/);
      assert.doesNotMatch(piped.text, /Type "/, "nothing is asked off a terminal");
    } finally {
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
