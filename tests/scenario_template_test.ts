/** Scenario templating (docs/cockpit.md §9.2) and the simple JSONPath of captures (§9.1). */
import assert from "node:assert/strict";
import { interpolate, UndefinedVariable } from "../cockpit/scenario/template.ts";
import { parseJsonPath, selectJsonPath } from "../cockpit/scenario/json_path.ts";

Deno.test("a whole placeholder keeps the raw typed value", () => {
  assert.deepEqual(interpolate("{{ n }}", { n: 42 }), 42);
  assert.deepEqual(interpolate("{{n}}", { n: [1, 2] }), [1, 2]);
});

Deno.test("placeholders inside strings, lists and values are substituted; keys are not", () => {
  const vars = { run_id: "ab12cd34", cid: "CUST-1" };
  assert.deepEqual(
    interpolate({ "{{ cid }}": ["qa-{{ run_id }}@x.test", { id: "{{ cid }}" }], n: 3 }, vars),
    { "{{ cid }}": ["qa-ab12cd34@x.test", { id: "CUST-1" }], n: 3 },
  );
});

Deno.test("an undefined variable is an error naming it", () => {
  assert.throws(
    () => interpolate("x-{{ nope }}", {}),
    (e) => e instanceof UndefinedVariable && e.variable === "nope",
  );
});

Deno.test("JSONPath selects keys and indexes, undefined when nothing matches", () => {
  const doc = { a: { b: [{ c: "deep" }] }, list: [] };
  assert.deepEqual(selectJsonPath(doc, "$.a.b[0].c"), "deep");
  assert.deepEqual(selectJsonPath([{ id: "S1" }], "$[0].id"), "S1");
  assert.deepEqual(selectJsonPath(doc, "$"), doc);
  assert.deepEqual(selectJsonPath(doc, "$.list[0]"), undefined);
  assert.deepEqual(selectJsonPath(doc, "$.a.missing"), undefined);
  assert.deepEqual(selectJsonPath(doc, "$.a[0]"), undefined);
});

Deno.test("JSONPath outside the supported subset is rejected", () => {
  assert.throws(() => parseJsonPath("a.b"));
  assert.throws(() => parseJsonPath("$.a[*]"));
  assert.throws(() => parseJsonPath("$..a"));
});
