/**
 * Scenario `ask` steps on the scripted model (scenarios/fixtures/agent.json) against the whole
 * system: scenarios/agent_topup.yaml passes with every ask check real — tools called and not
 * called, the event sequence, the final state — and the same file without a model reports its
 * ask steps skipped, never passed.
 */
import assert from "node:assert/strict";
import { localCaller, withCaller } from "../kernel/context.ts";
import { loadScenario } from "../cockpit/scenario/load.ts";
import { runScenario } from "../cockpit/scenario/run.ts";
import { scenarioAgent } from "../cockpit/scenario/step_ask.ts";
import { toolContext } from "../tools/context.ts";
import { startSystem } from "./support/system.ts";

const FILE = new URL("../scenarios/agent_topup.yaml", import.meta.url).pathname;
const FIXTURE = new URL("../scenarios/fixtures/agent.json", import.meta.url).pathname;

Deno.test({
  name: "scenario ask steps run on the fixture model and are skipped without one",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sys = await startSystem("scenario_ask");
    try {
      const loaded = await loadScenario(FILE);
      assert.ok(loaded.ok, JSON.stringify(loaded));
      const tools = toolContext(sys.config, "scenario");
      const run = (agentConfig: typeof sys.config) =>
        withCaller(
          localCaller("scenario:agent_topup", "scenario"),
          () =>
            runScenario(loaded.scenario, {
              tools,
              httpBaseUrl: "",
              agent: scenarioAgent(agentConfig, tools),
            }, () => {}),
        );

      const withModel = await run({ ...sys.config, BSS_LLM_FIXTURE_PATH: FIXTURE });
      const asks = withModel.steps.filter((s) => s.kind === "ask");
      assert.deepEqual(asks.map((s) => s.status), ["PASS", "PASS"], JSON.stringify(withModel));
      assert.match(
        asks[0].detail,
        /tools: subscription\.get, subscription\.get_balance, subscription\.purchase_vas, interaction\.log/,
      );
      assert.ok(withModel.passed);

      const without = await run({ ...sys.config, BSS_LLM_FIXTURE_PATH: undefined });
      const skipped = without.steps.filter((s) => s.kind === "ask");
      assert.deepEqual(skipped.map((s) => [s.status, s.detail]), [
        ["SKIP", "no LLM configured"],
        ["SKIP", "no LLM configured"],
      ]);
    } finally {
      await sys.stop();
    }
  },
});
