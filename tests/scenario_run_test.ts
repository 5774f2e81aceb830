/** The scenario runner against the whole system in-process (docs/cockpit.md §9.3). */
import assert from "node:assert/strict";
import type { RunEnv } from "../cockpit/scenario/env.ts";
import { runScenario } from "../cockpit/scenario/run.ts";
import { type Scenario, validateScenario } from "../cockpit/scenario/schema.ts";
import { toolContext } from "../tools/context.ts";
import { startSystem } from "./support/system.ts";

function scenario(doc: unknown): Scenario {
  const parsed = validateScenario(doc);
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return parsed.scenario;
}

Deno.test({
  name: "setup, capture, templating, asserts, expect_error, ask skipped, stop at first failure",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sys = await startSystem("scenario_run");
    try {
      const env: RunEnv = { tools: toolContext(sys.config, "scenario"), httpBaseUrl: "" };
      const s = scenario({
        name: "runner",
        setup: {
          reset_operational_data: true,
          reset_sequences: true,
          freeze_clock_at: "2026-07-01T08:00:00+00:00",
          variables: { who: "setup", kept: "setup" },
        },
        variables: { who: "x-{{ run_id }}-{{ kept }}" },
        steps: [
          { name: "now", action: "clock.now", capture: { t: "$.now" } },
          {
            name: "frozen",
            assert: {
              tool: "clock.now",
              expect: { mode: "frozen", now: { starts_with: "2026-07-01T08:00:00" } },
            },
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
      const reported: string[] = [];
      const outcome = await runScenario(s, env, (step) => reported.push(step.name));
      assert.deepEqual(
        outcome.steps.map((s) => [s.name, s.kind, s.status]),
        [
          ["now", "action", "PASS"],
          ["frozen", "assert", "PASS"],
          ["missing", "action", "PASS"],
          ["chat", "ask", "SKIP"],
          ["fails", "action", "FAIL"],
        ],
        JSON.stringify(outcome),
      );
      assert.deepEqual(reported, ["now", "frozen", "missing", "chat", "fails"]);
      assert.match(outcome.steps[0].detail, /^t=2026-07-01T08:00:00/);
      assert.match(outcome.steps[4].detail, /NOT_FOUND/);
      assert.equal(outcome.passed, false);
      assert.equal(outcome.error, undefined);
      // Teardown ran although a step failed: the clock runs again.
      const [{ frozen_at }] = await sys.db.sql`select frozen_at from kernel.clock`;
      assert.equal(frozen_at, null);
      // reset_sequences restarted the id sequences.
      const [{ last_value, is_called }] = await sys.db.sql`select last_value, is_called
        from kernel.id_ord`;
      assert.deepEqual([Number(last_value), is_called], [1, false]);
    } finally {
      await sys.stop();
    }
  },
});

Deno.test({
  name: "a setup failure skips the steps and the teardown",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sys = await startSystem("scenario_setup", { BSS_ALLOW_ADMIN_RESET: "false" });
    try {
      const env: RunEnv = { tools: toolContext(sys.config, "scenario"), httpBaseUrl: "" };
      const outcome = await runScenario(
        scenario({
          name: "refused setup",
          setup: { reset_operational_data: true },
          steps: [{ name: "never", action: "clock.now" }],
          teardown: { unfreeze_clock: true },
        }),
        env,
      );
      assert.equal(outcome.passed, false);
      assert.deepEqual(outcome.steps, []);
      assert.match(
        outcome.error ?? "",
        /^setup: admin.reset_operational_data: .*ADMIN_RESET_DISABLED/,
      );
    } finally {
      await sys.stop();
    }
  },
});
