/**
 * The cockpit core in process (the REPL without its terminal): slash commands and list
 * intents without a model, sessions in the store (new, switch, reset, focus), the operator
 * files' hot reload, and /confirm under both autonomy modes on the scripted model.
 */
import assert from "node:assert/strict";
import { modelLabel } from "../cockpit/repl/banner.ts";
import { Cockpit } from "../cockpit/repl/cockpit.ts";
import { interceptOf } from "../cockpit/repl/intercepts.ts";
import type { Io } from "../cockpit/repl/io.ts";
import { OperatorFiles } from "../cockpit/repl/operator_files.ts";
import { NO_MODEL } from "../cockpit/agent/model.ts";
import { listSubscriptions } from "../http/subscription/routes.ts";
import { loadConfig } from "../kernel/config.ts";
import { toolContext } from "../tools/context.ts";
import { order, signupCustomer } from "./support/signup.ts";
import { startSystem } from "./support/system.ts";

/** An io that keeps what is printed. */
function captured(): Io & { text(): string; clear(): void } {
  let out = "";
  return {
    color: false,
    width: 80,
    print: (t) => void (out += `${t}\n`),
    write: (t) => void (out += t),
    busy: (what) => void (what && (out += `· ${what}\n`)),
    text: () => out,
    clear: () => void (out = ""),
  };
}

Deno.test("the banner names the model, says when it is scripted, and when there is none", () => {
  const env = { BSS_API_TOKEN: "repl-banner-test-token-0123456789abcdef" };
  const label = (extra: Record<string, string>) =>
    modelLabel(loadConfig({ ...env, ...extra }), "m");
  assert.equal(label({}), "none (set BSS_LLM_BASE_URL)");
  assert.equal(label({ BSS_LLM_BASE_URL: "http://127.0.0.1:1/v1" }), "m");
  assert.equal(
    label({ BSS_LLM_FIXTURE_PATH: "/x/scenarios/fixtures/agent.json" }),
    "m, scripted by agent.json",
  );
});

Deno.test("list intents: first match wins; orders need a customer", () => {
  assert.deepEqual(interceptOf("list customers", null), { tool: "customer.list", args: {} });
  assert.deepEqual(interceptOf("who are our customers?", null), {
    tool: "customer.list",
    args: {},
  });
  // One customer named by id is their card, not the list.
  assert.deepEqual(interceptOf("show me customer cust-0001", null), {
    tool: "customer.get",
    args: { customer_id: "CUST-0001" },
  });
  assert.equal(interceptOf("show customer CUST-0001's orders and cases", null), undefined);
  // So is one subscription, order, case or ticket, with or without its noun.
  const named = [
    ["show subscription sub-0003", "subscription.get", { subscription_id: "SUB-0003" }],
    ["open ORD-0012", "order.get", { order_id: "ORD-0012" }],
    ["get the ticket TKT-0002", "ticket.get", { ticket_id: "TKT-0002" }],
    ["show case CASE-0001", "case.get", { case_id: "CASE-0001" }],
  ] as const;
  for (const [line, tool, args] of named) assert.deepEqual(interceptOf(line, null), { tool, args });
  // The noun must fit the id.
  assert.equal(interceptOf("show order SUB-0001", null), undefined);
  assert.deepEqual(interceptOf("What are the plans?", null), {
    tool: "catalog.list_active_offerings",
    args: {},
  });
  assert.deepEqual(interceptOf("show me all top-ups", null), {
    tool: "catalog.list_vas",
    args: {},
  });
  assert.deepEqual(interceptOf("list available numbers", null), {
    tool: "inventory.msisdn.list_available",
    args: {},
  });
  assert.deepEqual(interceptOf("show pending port requests", null), {
    tool: "port_request.list",
    args: {},
  });
  assert.deepEqual(interceptOf("list orders of CUST-0007", null), {
    tool: "order.list",
    args: { customer_id: "CUST-0007" },
  });
  assert.deepEqual(interceptOf("list orders", "CUST-0002"), {
    tool: "order.list",
    args: { customer_id: "CUST-0002" },
  });
  assert.ok("refusal" in interceptOf("list orders", null)!);
  // The support queues: all, or one customer's, in the state the line names (one they have).
  const queues = [
    ["show open cases", null, "case.list", { state: "open" }],
    ["list tickets of cust-0003", "CUST-0001", "ticket.list", { customer_id: "CUST-0003" }],
    ["list cancelled cases", null, "case.list", {}],
  ] as const;
  for (const [line, focus, tool, args] of queues) {
    assert.deepEqual(interceptOf(line, focus), { tool, args }, line);
  }
  assert.equal(interceptOf("why is SUB-0001 blocked?", null), undefined);
});

Deno.test({
  name: "cockpit: slash commands, intents without a model, sessions, operator files, /confirm",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sys = await startSystem("repl_cockpit");
    const dir = await Deno.makeTempDir({ prefix: "bss_cockpit_" });
    try {
      const files = new OperatorFiles(dir);
      files.bootstrap();
      const io = captured();
      const ctx = toolContext(sys.config, "cockpit");
      const cockpit = new Cockpit({ config: sys.config, sql: sys.db.sql, io, files, ctx });
      await cockpit.start({ fresh: true, label: "first" });
      const first = cockpit.session.id;
      assert.match(first, /^SES-\d{8}-[0-9a-f]{8}$/);

      // No model: list intents and slash commands work; a plain turn says what it needs.
      await cockpit.handle("list plans");
      assert.match(io.text(), /PLAN_M ★/);
      await cockpit.handle("why is everything broken?");
      assert.match(io.text(), new RegExp(NO_MODEL.slice(0, 40).replace(/[()]/g, "\\$&")));
      await cockpit.handle("/help");
      assert.match(io.text(), /\/confirm +run the staged destructive action/);
      io.clear();
      await cockpit.handle("help");
      assert.match(io.text(), /\/confirm +run the staged destructive action/, "bare help is /help");
      await cockpit.handle("/nope");
      assert.match(io.text(), /Unknown command \/nope/);
      await cockpit.handle("/confirm");
      assert.match(io.text(), /Nothing is staged/);
      // The focus pins only a customer that exists.
      await cockpit.handle("/focus CUST-0042");
      assert.match(io.text(), /No customer CUST-0042: the focus is unchanged\./);
      assert.equal(cockpit.session.customerFocus, null);
      const focused = await signupCustomer(sys.client);
      await cockpit.handle(`/focus ${focused.toLowerCase()}`);
      assert.equal(cockpit.session.customerFocus, focused);
      const stored = await cockpit.store.messages(first);
      assert.deepEqual(
        stored.map((m) => m.role),
        ["user", "tool"],
        "no model: the turn is not stored",
      );
      assert.equal(
        (stored[1].toolCalls as { tool_name: string }).tool_name,
        "catalog.list_active_offerings",
      );
      // A refused call reads as the CLI's refusals do, not as JSON.
      await cockpit.handle("/360 CUST-0042");
      assert.match(io.text(), /ERROR customer\.get: NOT_FOUND {2}\S.*CUST-0042/);

      // Sessions: a new one, the list, switching back (focus kept), reset.
      await cockpit.handle("/new second");
      const second = cockpit.session.id;
      assert.notEqual(second, first);
      io.clear();
      await cockpit.handle("/sessions");
      assert.match(io.text(), new RegExp(second));
      assert.doesNotMatch(io.text(), new RegExp(first), "a closed session is not listed");
      const resumed = new Cockpit({ config: sys.config, sql: sys.db.sql, io, files, ctx });
      await resumed.start({ sessionId: first });
      assert.equal(resumed.session.customerFocus, focused);
      await resumed.handle("/reset");
      assert.deepEqual(await resumed.store.messages(first), []);
      await assert.rejects(
        () => resumed.start({ sessionId: "SES-20260101-00000000" }),
        /not found/,
      );
      // A session deleted under the cockpit is replaced by a fresh one.
      await sys.db.sql`delete from cockpit.session where id = ${first}`;
      await resumed.handle("list plans");
      assert.notEqual(resumed.session.id, first);
      assert.match(io.text(), /That session was deleted elsewhere: opened SES-/);

      // Operator files: an edit applies on the next read; a broken one keeps the last good.
      await Deno.writeTextFile(files.settingsPath, '[cockpit]\nautonomy = "batched"\n');
      await Deno.utime(files.settingsPath, new Date(), new Date(Date.now() + 5000));
      assert.equal(cockpit.autonomy(), "batched");
      await Deno.writeTextFile(files.settingsPath, "[cockpit]\nspeed = 11\n");
      await Deno.utime(files.settingsPath, new Date(), new Date(Date.now() + 10000));
      assert.equal(cockpit.autonomy(), "batched");
      assert.match(files.problem ?? "", /kept the last good settings/);
      await Deno.writeTextFile(files.settingsPath, "");
      await Deno.utime(files.settingsPath, new Date(), new Date(Date.now() + 15000));
      assert.equal(cockpit.autonomy(), "granular");

      // /confirm on the scripted model: granular runs only the staged call; batched lets
      // the rest of the request run after one /confirm.
      const customerId = await signupCustomer(sys.client);
      for (let i = 0; i < 3; i++) await order(sys.client, customerId);
      const lines = (await sys.client.subscription.call(listSubscriptions, {
        query: { customerId },
      })).map((s) => s.id).sort();
      const [a, b, c] = lines;
      // One line named by id prints its card, with no model.
      io.clear();
      await cockpit.handle(`show ${a}`);
      assert.match(io.text(), new RegExp(`Subscription ${a}[\\s\\S]*Bundle`));
      const terminate = (id: string) => ({
        tool_calls: [{ name: "subscription.terminate", args: { subscription_id: id } }],
        content: "",
      });
      await Deno.writeTextFile(
        `${dir}/fixture.json`,
        JSON.stringify({
          responses: [
            { match: "end line a", steps: [terminate(a), { content: "Proposed." }] },
            { match: "end b and c", steps: [terminate(b), { content: "Proposed." }] },
            { match: "operator typed /confirm", steps: [terminate(c), { content: "Both done." }] },
          ],
        }),
      );
      const agentCockpit = new Cockpit({
        config: { ...sys.config, BSS_LLM_FIXTURE_PATH: `${dir}/fixture.json` },
        sql: sys.db.sql,
        io,
        files,
        ctx,
      });
      await agentCockpit.start({ fresh: true });
      const state = async (id: string) =>
        (await sys.client.subscription.call(listSubscriptions, { query: { customerId } }))
          .find((s) => s.id === id)?.state;

      io.clear();
      await agentCockpit.handle("end line a");
      assert.match(io.text(), /Proposed subscription\.terminate\(/);
      assert.equal(await state(a), "active");
      await agentCockpit.handle("/confirm");
      assert.equal(await state(a), "terminated");
      assert.equal(await state(b), "active");

      await agentCockpit.handle("/autonomy batched");
      io.clear();
      await agentCockpit.handle("end b and c");
      await agentCockpit.handle("/confirm");
      assert.equal(await state(b), "terminated");
      assert.equal(await state(c), "terminated");
      assert.match(
        io.text(),
        new RegExp(`Executed subscription\\.terminate\\(subscription_id="${c}"\\)`),
      );
      assert.equal(await agentCockpit.store.peek(agentCockpit.session.id), null);
    } finally {
      await sys.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
