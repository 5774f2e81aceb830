/** The scenario schema (spec 04 §9.1): strict everywhere, unknown keys reported by path. */
import assert from "node:assert/strict";
import { validateScenario } from "../cockpit/scenario/schema.ts";

const minimal = { name: "s", steps: [{ name: "a", action: "customer.get", args: { id: "x" } }] };

function problems(doc: unknown): string[] {
  const result = validateScenario(doc);
  assert.equal(result.ok, false);
  return result.ok ? [] : result.problems;
}

Deno.test("a minimal scenario gets its defaults", () => {
  const result = validateScenario(minimal);
  assert.ok(result.ok);
  assert.equal(result.scenario.description, "");
  assert.deepEqual(result.scenario.setup, { reset_operational_data: false });
  assert.deepEqual(result.scenario.teardown, { unfreeze_clock: false });
});

Deno.test("unknown keys are reported with their path, at every level", () => {
  assert.deepEqual(problems({ ...minimal, extra: 1 }), ["extra: unknown key"]);
  assert.deepEqual(problems({ ...minimal, setup: { reset_sequences: true } }), [
    "setup.reset_sequences: unknown key",
  ]);
  assert.deepEqual(
    problems({ name: "s", steps: [{ name: "a", action: "x", args: {}, colour: "red" }] }),
    ["steps.0.colour: unknown key"],
  );
  assert.deepEqual(
    problems({
      name: "s",
      steps: [{
        name: "a",
        assert: { tool: "t", expect: { state: "x" }, poll: { timeout_seconds: 5 } },
      }],
    }),
    ["steps.0.assert.poll.timeout_seconds: unknown key"],
  );
  assert.deepEqual(
    problems({ name: "s", steps: [{ name: "q", ask: "hi", expect_tools_not_called: [] }] }),
    ["steps.0.expect_tools_not_called: unknown key"],
  );
});

Deno.test("unknown operators and kindless steps are errors", () => {
  assert.deepEqual(
    problems({
      name: "s",
      steps: [{ name: "a", assert: { tool: "t", expect: { n: { starts_with: "x" } } } }],
    }),
    ["steps.0.assert.expect.n.starts_with: unknown operator: starts_with"],
  );
  assert.equal(problems({ name: "s", steps: [{ name: "h", http: "GET /" }] }).length, 1);
});
