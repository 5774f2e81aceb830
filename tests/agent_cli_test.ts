/**
 * `bss ask` and `bss trace for-ask` on the scripted model against the whole system: the
 * turn's tool calls and its answer are printed, a destructive call is held back without
 * `--allow-destructive`, no model means exit 1 with the hint, and the turn's trace is found
 * as the latest `bss.ask` span and drawn.
 */
import assert from "node:assert/strict";
import { runCli } from "../cockpit/bss/cli.ts";
import { startSystem } from "./support/system.ts";

const FIXTURE = new URL("../scenarios/fixtures/agent.json", import.meta.url).pathname;

Deno.test({
  name: "bss ask answers on the fixture model; bss trace for-ask draws its trace",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sys = await startSystem("agent_cli");
    try {
      const config = { ...sys.config, BSS_LLM_FIXTURE_PATH: FIXTURE };
      const none = await runCli(["ask", "bench one"], { config: sys.config });
      assert.equal(none.code, 1);
      assert.match(none.stderr, /need a model: set BSS_LLM_BASE_URL/);

      const asked = await runCli(["ask", "bench five"], { config });
      assert.equal(asked.code, 0, asked.stderr);
      assert.match(asked.stdout, /^· clock\.now\(\)$/m);
      assert.match(asked.stdout, /^· inventory\.msisdn\.count\(\)$/m);
      assert.match(asked.stdout, /── bss ai ──\nFive calls done\.\n$/);

      const held = await runCli(["ask", "Terminate line SUB-0001"], { config });
      assert.equal(held.code, 0, held.stderr);
      assert.match(held.stdout, /subscription\.terminate is destructive and was not run/);

      const usage = await runCli(["ask"], { config });
      assert.equal(usage.code, 2);

      const traced = await runCli(["trace", "for-ask", "--width", "100"], { config });
      assert.equal(traced.code, 0, traced.stderr);
      assert.match(traced.stdout, /^Trace [0-9a-f]{16}…/);
      assert.match(traced.stdout, /bss\.ask/);
    } finally {
      await sys.stop();
    }
  },
});
