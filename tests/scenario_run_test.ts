/** The scenario runner against the whole system in-process (spec 04 §9.3). */
import assert from "node:assert/strict";
import { runScenario } from "../cockpit/scenario/run.ts";
import { validateScenario } from "../cockpit/scenario/schema.ts";
import { toolContext } from "../tools/context.ts";
import { startSystem } from "./support/system.ts";

Deno.test({
  name: "setup, capture, templating, asserts, expect_error, ask skipped, stop at first failure",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sys = await startSystem("scenario_run");
    try {
      const ctx = toolContext(sys.config, "scenario");
      const parsed = validateScenario({
        name: "runner",
        setup: { reset_operational_data: true, freeze_clock_at: "2026-07-01T08:00:00+00:00" },
        variables: { who: "x-{{ run_id }}" },
        steps: [
          { name: "now", action: "clock.now", capture: { t: "$" } },
          {
            name: "frozen",
            assert: { tool: "clock.now", expect: { mode: "frozen", frozenAt: { exists: true } } },
          },
          {
            name: "missing",
            action: "customer.get",
            args: { customer_id: "CUST-nope-{{ who }}" },
            expect_error: { status: 404 },
          },
          { name: "chat", ask: "hello" },
          { name: "fails", action: "customer.get", args: { customer_id: "CUST-nope" } },
          { name: "never", action: "clock.now" },
        ],
        teardown: { unfreeze_clock: true },
      });
      assert.ok(parsed.ok, JSON.stringify(parsed));
      const outcome = await runScenario(parsed.scenario, ctx);
      assert.deepEqual(
        outcome.steps.map((s) => [s.name, s.status]),
        [["now", "PASS"], ["frozen", "PASS"], ["missing", "PASS"], ["chat", "SKIP"], [
          "fails",
          "FAIL",
        ]],
        JSON.stringify(outcome),
      );
      assert.equal(outcome.passed, false);
      assert.equal(outcome.error, undefined);
    } finally {
      await sys.stop();
    }
  },
});
