/** The scenario schema (docs/cockpit.md §9.1): strict everywhere, unknown keys reported by path. */
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
  assert.deepEqual(result.scenario.setup, {
    reset_operational_data: false,
    reset_sequences: false,
    variables: {},
  });
  assert.deepEqual(result.scenario.teardown, { unfreeze_clock: false });
});

Deno.test("unknown keys are reported with their path, at every level", () => {
  assert.deepEqual(problems({ ...minimal, extra: 1 }), ["extra: unknown key"]);
  assert.deepEqual(problems({ ...minimal, setup: { reset_everything: true } }), [
    "setup.reset_everything: unknown key",
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
        assert: { tool: "t", expect: { state: "x" }, poll: { timeout_ms: 5 } },
      }],
    }),
    ["steps.0.assert.poll.timeout_ms: unknown key"],
  );
  assert.deepEqual(
    problems({ name: "s", steps: [{ name: "q", ask: "hi", expect_tools: [] }] }),
    ["steps.0.expect_tools: unknown key"],
  );
  assert.deepEqual(
    problems({
      name: "s",
      steps: [{ name: "h", http: "GET /x", expect: { status: 200, body_has: "x" } }],
    }),
    ["steps.0.expect.body_has: unknown key"],
  );
  assert.deepEqual(
    problems({
      name: "s",
      steps: [{ name: "f", file: "/tmp/x", capture_regex: { v: { pattern: "x", grp: 1 } } }],
    }),
    ["steps.0.capture_regex.v.grp: unknown key"],
  );
  assert.deepEqual(
    problems({
      name: "s",
      steps: [{ name: "a", assert: { tool: "t", expect: {} }, capture: { x: "$.id" } }],
    }),
    ["steps.0.capture: unknown key"],
  );
});

Deno.test("unknown operators and kindless steps are errors", () => {
  assert.deepEqual(
    problems({
      name: "s",
      steps: [{
        name: "a",
        assert: { tool: "t", expect: { n: { begins: "x" }, l: { any_match: { x: { eqq: 1 } } } } },
      }],
    }),
    [
      "steps.0.assert.expect.n.begins: unknown operator: begins",
      "steps.0.assert.expect.l.any_match.x.eqq: unknown operator: eqq",
    ],
  );
  assert.equal(problems({ name: "s", steps: [{ name: "h", wat: "GET /" }] }).length, 1);
  assert.equal(
    problems({ name: "s", steps: [{ name: "h", http: "GET /", action: "x" }] }).length,
    1,
  );
});

Deno.test("`any_match` directly under expect takes a map of expectations", () => {
  const step = (expect: unknown) => ({
    name: "s",
    steps: [{ name: "a", assert: { tool: "t", expect } }],
  });
  assert.ok(validateScenario(step({ any_match: { eventType: "x", n: { gte: 2 } } })).ok);
  assert.deepEqual(problems(step({ any_match: { n: { gtt: 2 } } })), [
    "steps.0.assert.expect.any_match.n.gtt: unknown operator: gtt",
  ]);
  assert.deepEqual(problems(step({ any_match: 3 })), [
    "steps.0.assert.expect.any_match: any_match takes a map",
  ]);
});

Deno.test("every step kind of the reference schema parses with its defaults", () => {
  const result = validateScenario({
    name: "all kinds",
    setup: { reset_operational_data: true, reset_sequences: true, variables: { a: 1 } },
    steps: [
      { name: "q", ask: "hi", expect_final_state: {}, expect_event_sequence: ["order.created"] },
      {
        name: "h",
        http: "POST /signup",
        form: { email: "x" },
        expect: { status: [200, 303] },
        capture_regex: { loc: { source: "headers.location", pattern: "id=(\\w+)" } },
      },
      { name: "f", file: "/tmp/x.log", poll: { timeout_seconds: 1 } },
    ],
  });
  assert.ok(result.ok, JSON.stringify(result));
  const [ask, http, file] = result.scenario.steps as Record<string, unknown>[];
  assert.equal(ask.timeout_seconds, 60);
  assert.equal(ask.allow_clarification, false);
  assert.equal(http.follow_redirects, false);
  assert.equal(http.timeout_seconds, 30);
  assert.deepEqual(http.expect, {
    status: [200, 303],
    body_contains: [],
    body_not_contains: [],
    headers_match: {},
    body_json_equals: {},
  });
  assert.equal(file.encoding, "utf-8");
  assert.deepEqual(file.poll, { interval_ms: 200, timeout_seconds: 1 });
});

Deno.test("reset_sequences alone is refused: ids would be reused by kept rows", () => {
  assert.deepEqual(problems({ ...minimal, setup: { reset_sequences: true } }), [
    "setup.reset_sequences: reset_sequences needs reset_operational_data (ids must not be reused)",
  ]);
});

Deno.test("form and json are exclusive on an http step", () => {
  assert.deepEqual(
    problems({ name: "s", steps: [{ name: "h", http: "POST /x", form: {}, json: {} }] }),
    ["steps.0.form: form and json are exclusive"],
  );
});
