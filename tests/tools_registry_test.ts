/**
 * The tool registry: its shape (docs/cockpit.md §4.1), the destructive and hidden lists (§4.3), the
 * profiles (§4.4), and docs/TOOLS.md kept equal to what the registry generates.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { NotFound, PolicyViolation } from "../kernel/errors.ts";
import { HttpError } from "../http/errors.ts";
import { callTool } from "../tools/call.ts";
import { toolsMarkdown } from "../tools/docs.ts";
import { Amount } from "../tools/args.ts";
import type { ToolContext } from "../tools/tool.ts";
import {
  DESTRUCTIVE_TOOLS,
  SCENARIO_VERBS,
  TOOL_ALIASES,
  toolNamed,
  TOOLS,
  toolsFor,
} from "../tools/registry.ts";

const CLASSES = ["read", "create", "update", "destructive", "admin"];

Deno.test("every tool has a dotted unique name, an object schema, a class and a description", () => {
  const names = [...TOOLS, ...SCENARIO_VERBS].map((t) => t.name);
  assert.equal(new Set(names).size, names.length, "duplicate tool names");
  for (const tool of [...TOOLS, ...SCENARIO_VERBS]) {
    assert.match(tool.name, /^[a-z_]+(\.[a-z_]+)+$/, tool.name);
    assert.ok(tool.args instanceof z.ZodObject, `${tool.name}: args schema`);
    assert.ok(CLASSES.includes(tool.class), `${tool.name}: class ${tool.class}`);
    assert.ok(tool.description.length > 10, `${tool.name}: description`);
    assert.ok(!tool.description.includes("\n"), `${tool.name}: one-line description`);
    assert.equal(toolNamed(tool.name), tool);
  }
});

Deno.test("every registry tool is in a profile; scenario verbs are in none", () => {
  for (const tool of TOOLS) assert.ok(tool.profiles.length > 0, `${tool.name}: no profile`);
  for (const verb of SCENARIO_VERBS) assert.deepEqual(verb.profiles, [], verb.name);
  // Resets and clock moves are gated like every destructive verb; the rest are admin.
  assert.deepEqual(
    SCENARIO_VERBS.filter((v) => v.class === "destructive").map((v) => v.name).sort(),
    [
      "admin.reset_operational_data",
      "clock.advance",
      "clock.freeze",
      "clock.reset",
      "clock.unfreeze",
      "payment.invalidate_mock_cards",
    ],
  );
  assert.ok(SCENARIO_VERBS.every((v) => ["destructive", "admin"].includes(v.class)));
});

Deno.test("argument names are the reference's snake_case names", () => {
  for (const tool of [...TOOLS, ...SCENARIO_VERBS]) {
    for (const name of Object.keys(tool.args.shape)) {
      assert.match(name, /^[a-z][a-z0-9_]*$/, `${tool.name}: ${name}`);
    }
  }
  assert.deepEqual(Object.keys(toolNamed("order.wait_until")!.args.shape), [
    "order_id",
    "target_state",
    "timeout_s",
  ]);
  assert.deepEqual(Object.keys(toolNamed("usage.simulate")!.args.shape), [
    "msisdn",
    "event_type",
    "quantity",
    "unit",
    "event_time",
    "roaming_indicator",
  ]);
});

Deno.test("the destructive class is docs/cockpit.md §4.3's gate list, less what is not built", () => {
  assert.deepEqual([...DESTRUCTIVE_TOOLS].sort(), [
    "case.close",
    "customer.close",
    "customer.remove_contact_medium",
    "order.cancel",
    "payment.remove_method",
    "provisioning.set_fault_injection",
    "subscription.terminate",
    "subscription.terminate_mine",
    "ticket.cancel",
  ]);
});

Deno.test("hidden tools and the customer self-serve profile follow docs/cockpit.md §4.3-4.4", () => {
  assert.deepEqual(TOOLS.filter((t) => t.hidden).map((t) => t.name).sort(), [
    "catalog.add_offering",
    "catalog.add_price",
    "catalog.window_offering",
    "payment.card_entry_finish_mine",
    "payment.card_entry_start_mine",
    "subscription.migrate_to_new_price",
    "usage.simulate",
  ]);
  assert.deepEqual(toolsFor("customer_self_serve").map((t) => t.name).sort(), [
    "case.list_for_me",
    "case.open_for_me",
    "catalog.get_offering",
    "catalog.list_active_offerings",
    "catalog.list_vas",
    "customer.get_mine",
    "payment.charge_history_mine",
    "payment.method_list_mine",
    "subscription.cancel_pending_plan_change_mine",
    "subscription.get_balance_mine",
    "subscription.get_lpa_mine",
    "subscription.get_mine",
    "subscription.list_mine",
    "subscription.schedule_plan_change_mine",
    "subscription.terminate_mine",
    "usage.history_mine",
    "vas.purchase_for_me",
  ]);
  // Every tool but the 7 hidden ones (2 of them the portal's card entry wrappers) and the 14
  // customer wrappers offered to the chat.
  const cockpit = toolsFor("operator_cockpit");
  assert.equal(cockpit.length, TOOLS.length - 7 - 14);
  assert.ok(cockpit.every((t) => !/(_mine|\.mine|_for_me)$/.test(t.name)));
});

Deno.test("arguments are validated before a tool runs", async () => {
  const tool = toolNamed("customer.get")!;
  const ctx = { client: () => assert.fail("no call expected") };
  await assert.rejects(() => tool.invoke({}, ctx), (e: Error) => e.name === "ZodError");
});

Deno.test("docs/TOOLS.md is what the registry generates (deno task bss tools docs)", async () => {
  const onDisk = await Deno.readTextFile(new URL("../docs/TOOLS.md", import.meta.url));
  assert.equal(
    onDisk,
    toolsMarkdown(),
    "docs/TOOLS.md is stale: run `deno task bss tools docs > docs/TOOLS.md`",
  );
});

Deno.test("callTool returns failures as results (docs/cockpit.md §4.1), never throws", async () => {
  const failing = (e: Error): ToolContext => ({
    client: () => ({ call: () => Promise.reject(e) }),
  });
  const get = toolNamed("customer.get")!;
  assert.deepEqual(
    await callTool(get, { customer_id: "CUST-1" }, failing(new PolicyViolation("a.b.c", "no"))),
    { error: "POLICY_VIOLATION", rule: "a.b.c", detail: "no" },
  );
  assert.deepEqual(
    await callTool(get, { customer_id: "CUST-1" }, failing(new NotFound("customer", "CUST-1"))),
    { error: "NOT_FOUND", detail: "customer CUST-1 not found" },
  );
  const upstream = new HttpError(403, { code: "FORBIDDEN", message: "nope" }, "GET http://x/y");
  assert.deepEqual(await callTool(get, { customer_id: "CUST-1" }, failing(upstream)), {
    error: "CLIENT_ERROR",
    status: 403,
    code: "FORBIDDEN",
    detail: "nope",
  });
  const invalid = await callTool(get, {}, failing(new Error("unreached")));
  assert.equal((invalid as { error: string }).error, "VALIDATION_ERROR");
  assert.deepEqual(await callTool(get, { customer_id: "C" }, failing(new TypeError("boom"))), {
    error: "TypeError",
    detail: "boom",
  });
});

Deno.test("the reference's SOM tool names are the tools; the old som.* names stay aliases", () => {
  for (const [alias, name] of Object.entries(TOOL_ALIASES)) {
    assert.ok(toolNamed(name), name);
    assert.equal(toolNamed(alias), toolNamed(name), alias);
    assert.equal(TOOLS.some((t) => t.name === alias), false, `${alias} is not a tool of its own`);
  }
  for (const name of ["service_order.get", "service.list_for_subscription"]) {
    assert.ok(toolNamed(name), name);
  }
});

Deno.test("amount arguments take a JSON number as well as a decimal string", () => {
  assert.equal(Amount.parse(20), "20");
  assert.equal(Amount.parse(9.5), "9.5");
  assert.equal(Amount.parse("25.00"), "25.00");
  assert.equal(Amount.safeParse(-1).success, false);
  assert.equal(Amount.safeParse(1.234).success, false);
  const promo = toolNamed("promo.create")!;
  const args = promo.args.safeParse({
    promotion_id: "PROMO_X",
    discount_type: "percent",
    discount_value: 20,
    duration_kind: "single",
  });
  assert.ok(args.success, JSON.stringify(args.error?.issues));
  assert.equal((args.data as { discount_value: string }).discount_value, "20");
});
