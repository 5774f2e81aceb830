/**
 * The acceptance of the scenario runner: on the zero-configuration default (`deno task start`:
 * embedded Postgres, generated tokens, no flags), `deno task bss scenario run-all scenarios`
 * passes — every scenario of the folder, the reference-schema example included.
 */
import assert from "node:assert/strict";
import {
  embeddedDataDir,
  freePort,
  freePortOffset,
  kill,
  spawnMain,
  stopMain,
  waitHealthy,
} from "./support/http.ts";

const ROOT = new URL("..", import.meta.url).pathname;

Deno.test({
  name: "bss scenario run-all scenarios passes against deno task start's defaults",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dataDir = await embeddedDataDir();
    const offset = freePortOffset();
    const env = {
      BSS_DATA_DIR: dataDir,
      BSS_EMBEDDED_PG_PORT: String(freePort()),
      BSS_PORT_OFFSET: String(offset),
    };
    const main = spawnMain(env);
    try {
      await waitHealthy(main, offset, { ms: 120_000 });
      const inherited = Object.entries(Deno.env.toObject()).filter(([k]) => !k.startsWith("BSS_"));
      const run = await new Deno.Command(Deno.execPath(), {
        args: ["task", "bss", "scenario", "run-all", "scenarios"],
        cwd: ROOT,
        env: { ...Object.fromEntries(inherited), ...env },
        clearEnv: true,
      }).output();
      const out = new TextDecoder().decode(run.stdout);
      const err = new TextDecoder().decode(run.stderr);
      assert.equal(run.code, 0, `${out}\n${err}`);
      const files = [...Deno.readDirSync(`${ROOT}/scenarios`)].filter((f) =>
        /\.ya?ml$/.test(f.name)
      );
      assert.match(out, new RegExp(`^${files.length}/${files.length} scenarios passed$`, "m"));
      assert.equal(await stopMain(main, { ms: 15_000 }), 0);
    } finally {
      await kill(main);
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
