/**
 * The http, file and ask steps of the scenario runner (docs/cockpit.md §9.1, §9.3): requests and
 * their checks and captures, files waited for and matched from the end, and an ask turn
 * (by a stand-in agent) checked against tools, events and final-state probes.
 */
import assert from "node:assert/strict";
import type { Agent, RunEnv } from "../cockpit/scenario/env.ts";
import { atRunPorts } from "../cockpit/scenario/ports.ts";
import { runScenario } from "../cockpit/scenario/run.ts";
import { type Scenario, validateScenario } from "../cockpit/scenario/schema.ts";
import { callTool } from "../tools/call.ts";
import { toolContext } from "../tools/context.ts";
import { toolNamed } from "../tools/registry.ts";
import type { ToolContext } from "../tools/tool.ts";
import { startSystem } from "./support/system.ts";

function scenario(steps: unknown[]): Scenario {
  const parsed = validateScenario({ name: "steps", steps });
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return parsed.scenario;
}

/** No tool is called by http and file steps. */
const noTools: ToolContext = {
  client() {
    throw new Error("no service in this test");
  },
};

Deno.test("http steps: method, form, cookies, headers, status lists, captures, poll", async () => {
  let hits = 0;
  const server = Deno.serve({ port: 0, onListen() {} }, async (req) => {
    const url = new URL(req.url);
    if (url.pathname === "/signup") {
      const form = await req.formData();
      return new Response(null, {
        status: 303,
        headers: {
          location: `/welcome?id=${form.get("email")}`,
          "set-cookie": "session=abc123; Path=/; HttpOnly",
        },
      });
    }
    if (url.pathname === "/later") {
      hits++;
      return Response.json({ ready: hits >= 3 }, { status: hits >= 3 ? 200 : 503 });
    }
    return Response.json({
      cookie: req.headers.get("cookie"),
      token: req.headers.get("x-token"),
      body: req.method === "POST" ? await req.json() : null,
    });
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  try {
    const env: RunEnv = { tools: noTools, httpBaseUrl: base };
    const outcome = await runScenario(
      scenario([
        {
          name: "signup",
          http: "POST /signup",
          form: { email: "ada-{{ run_id }}" },
          expect: { status: [302, 303], headers_match: { Location: "^/welcome" } },
          capture: { session: "$.cookies.session" },
          capture_regex: { who: { source: "headers.location", pattern: "id=([\\w-]+)" } },
        },
        {
          name: "echo",
          http: "POST /echo",
          base_url: base,
          headers: { "x-token": "{{ session }}" },
          cookies: { session: "{{ session }}" },
          json: { who: "{{ who }}", n: 3 },
          expect: {
            status: 200,
            body_contains: ["abc123"],
            body_not_contains: ["secret"],
            body_json_equals: { cookie: "session=abc123", "body.n": 3 },
          },
        },
        {
          name: "eventually",
          http: "GET /later",
          expect: { status: 200, body_json_equals: { ready: true } },
          poll: { interval_ms: 10, timeout_seconds: 5 },
        },
        { name: "templated", http: "GET {{ base }}/echo", expect: { status: 200 } },
        { name: "wrong", http: "GET /echo", expect: { status: 201 } },
      ]),
      env,
      () => {},
      { base },
    );
    assert.deepEqual(outcome.steps.map((s) => s.status), [
      "PASS",
      "PASS",
      "PASS",
      "PASS",
      "FAIL",
    ]);
    assert.match(outcome.steps[0].detail, /^session=abc123 who=ada-[0-9a-f]{8}$/);
    assert.equal(hits, 3);
    assert.equal(outcome.steps[4].detail, "status 200, expected 201");
  } finally {
    await server.shutdown();
  }
});

Deno.test("a URL in the default port layout is read at the run's ports", async () => {
  const run = { BSS_HOST: "127.0.0.1", BSS_PORT_OFFSET: 7000 };
  const at = (url: string) => atRunPorts(new URL(url), run).href;
  assert.equal(at("http://localhost:9001/auth/login"), "http://127.0.0.1:16001/auth/login");
  assert.equal(at("http://127.0.0.1:8003/x?y=1"), "http://127.0.0.1:15003/x?y=1");
  assert.equal(at("http://localhost:9999/"), "http://localhost:9999/", "not a role's port");
  assert.equal(at("http://example.test:9001/"), "http://example.test:9001/", "not local");

  // An http step naming the reference's fixed portal origin reaches the run's portal.
  const server = Deno.serve({ port: 0, onListen() {} }, (req) => Response.json(req.url));
  try {
    const env: RunEnv = {
      tools: noTools,
      httpBaseUrl: "http://127.0.0.1:1",
      relocate: (url) =>
        url.port === "9001" ? new URL(url.pathname, `http://127.0.0.1:${server.addr.port}`) : url,
    };
    const outcome = await runScenario(
      scenario([{
        name: "portal",
        http: "GET /welcome",
        base_url: "http://localhost:9001",
        expect: { status: 200, body_contains: ["/welcome"] },
      }]),
      env,
    );
    assert.equal(outcome.steps[0].status, "PASS", outcome.steps[0].detail);
  } finally {
    await server.shutdown();
  }
});

Deno.test("file steps wait for the file, capture JSON paths and the last regex match", async () => {
  const dir = await Deno.makeTempDir();
  const log = `${dir}/out.log`;
  const json = `${dir}/out.json`;
  await Deno.writeTextFile(json, JSON.stringify({ otp: { code: "123456" } }));
  setTimeout(() => Deno.writeTextFileSync(log, "code=111\ncode=222\ncode=333\n"), 100);
  try {
    const outcome = await runScenario(
      scenario([
        {
          name: "log",
          file: log,
          poll: { interval_ms: 20, timeout_seconds: 5 },
          capture_regex: { code: { pattern: "code=(\\d+)" } },
        },
        { name: "json", file: json, capture: { otp: "$.json.otp.code" } },
        { name: "missing", file: `${dir}/none-{{ code }}` },
      ]),
      { tools: noTools, httpBaseUrl: "" },
    );
    assert.deepEqual(outcome.steps.map((s) => [s.status, s.detail]), [
      ["PASS", "code=333"],
      ["PASS", "otp=123456"],
      ["FAIL", `${dir}/none-333: no such file`],
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "ask steps: skipped without an agent; with one, tools, events and final state checked",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sys = await startSystem("scenario_ask");
    try {
      const tools = toolContext(sys.config, "scenario");
      // A stand-in for the LLM agent: it makes the tool call a model would make.
      const agent: Agent = async (prompt) => {
        const email = /\S+@\S+/.exec(prompt)![0];
        await callTool(toolNamed("customer.create")!, { name: "Ada", email }, tools);
        return { toolsCalled: ["customer.create"], reply: `Created ${email}.` };
      };
      const ask = {
        name: "create by chat",
        ask: "Create a customer Ada with email ada-{{ run_id }}@example.test",
        expect_tools_called_include: ["customer.create"],
        expect_tools_not_called: ["customer.close"],
        expect_event_sequence: ["customer.created"],
        expect_final_state: {
          created: {
            tool: "customer.find_by_email",
            args: { email: "ada-{{ run_id }}@example.test" },
            expect: { status: "active" },
          },
        },
        capture: { said: "$.reply" },
      };
      const skipped = await runScenario(scenario([ask]), { tools, httpBaseUrl: "" });
      assert.deepEqual(skipped.steps.map((s) => [s.status, s.detail]), [
        ["SKIP", "no LLM configured"],
      ]);
      const ran = await runScenario(scenario([ask]), { tools, httpBaseUrl: "", agent });
      assert.equal(ran.passed, true, JSON.stringify(ran));
      assert.match(ran.steps[0].detail, /^tools: customer\.create said=Created ada-/);

      const asking: Agent = () => Promise.resolve({ toolsCalled: [], reply: "Which email?" });
      const failed = await runScenario(
        scenario([{ ...ask, expect_final_state: {}, expect_event_sequence: [] }]),
        { tools, httpBaseUrl: "", agent: asking },
      );
      assert.equal(
        failed.steps[0].detail,
        "customer.create was not called; " +
          "the turn ended by asking a question (allow_clarification is false)",
      );
    } finally {
      await sys.stop();
    }
  },
});
