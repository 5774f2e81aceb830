/**
 * The cockpit's acceptance (issue 12): `deno task repl` driven through piped stdin with the
 * scripted model, against the whole system. A blocked line is diagnosed (reads) and topped up
 * (`subscription.purchase_vas`); a deterministic re-read finds it active, and the customer's
 * interactions show the `llm-…` actor. A termination is proposed, `hello` discards it, a
 * second proposal and `/confirm` run it exactly once.
 */
import assert from "node:assert/strict";
import { localCaller, withCaller } from "../kernel/context.ts";
import { listSubscriptions } from "../http/subscription/routes.ts";
import { callTool } from "../tools/call.ts";
import { toolContext } from "../tools/context.ts";
import { toolNamed } from "../tools/registry.ts";
import { PORTAL_TOKEN, runTyped, TOKEN } from "./support/http.ts";
import { order, signupCustomer } from "./support/signup.ts";
import { startSystem, until } from "./support/system.ts";

const COCKPIT_TOKEN = "test-cockpit-token-0123456789abcdefghijk";
const MODEL = "fixture/scripted";
const REPL = new URL("../cockpit/repl/main.ts", import.meta.url).pathname;

Deno.test({
  name: "deno task repl: a blocked line topped up by the agent; a termination gated by /confirm",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sys = await startSystem("repl_acceptance", {
      BSS_OPERATOR_COCKPIT_API_TOKEN: COCKPIT_TOKEN,
    });
    const dir = await Deno.makeTempDir({ prefix: "bss_repl_" });
    try {
      const ctx = toolContext(sys.config, "test");
      const tool = (name: string, args: Record<string, unknown>) =>
        withCaller(localCaller("cli-user", "cli"), () => callTool(toolNamed(name)!, args, ctx));
      const customerId = await signupCustomer(sys.client);
      await order(sys.client, customerId);
      const [line] = await sys.client.subscription.call(listSubscriptions, {
        query: { customerId },
      });
      await tool("usage.simulate", {
        msisdn: line.msisdn,
        event_type: "data",
        quantity: 99999,
        unit: "mb",
      });
      await until(
        () => tool("subscription.get", { subscription_id: line.id }),
        (s) => (s as { state: string }).state === "blocked",
        "the line to be blocked",
      );

      const sub = { subscription_id: line.id };
      const fixture = {
        responses: [
          {
            match: "blocked",
            steps: [
              { tool_calls: [{ name: "subscription.get", args: sub }] },
              { tool_calls: [{ name: "subscription.get_balance", args: sub }] },
              {
                tool_calls: [{
                  name: "subscription.purchase_vas",
                  args: { ...sub, vas_offering_id: "VAS_DATA_5GB" },
                }],
              },
              {
                tool_calls: [{
                  name: "interaction.log",
                  args: { customer_id: customerId, summary: "Data exhausted; topped up 5GB" },
                }],
              },
              { content: `${line.id} was blocked on exhausted data; topped up, active again.` },
            ],
          },
          {
            match: "terminate",
            steps: [
              { tool_calls: [{ name: "subscription.terminate", args: sub }] },
              { content: "Termination proposed." },
            ],
          },
        ],
      };
      await Deno.writeTextFile(`${dir}/fixture.json`, JSON.stringify(fixture));

      const repl = async (args: string[], lines: string[]) => {
        const run = await runTyped(
          Deno.execPath(),
          ["run", "-A", REPL, ...args],
          {
            BSS_ENV: "test",
            BSS_DB_URL: sys.db.url,
            BSS_PORT_OFFSET: String(sys.config.BSS_PORT_OFFSET),
            BSS_API_TOKEN: TOKEN,
            BSS_PORTAL_SELF_SERVE_API_TOKEN: PORTAL_TOKEN,
            BSS_OPERATOR_COCKPIT_API_TOKEN: COCKPIT_TOKEN,
            BSS_LLM_FIXTURE_PATH: `${dir}/fixture.json`,
            BSS_LLM_MODEL: MODEL,
            BSS_COCKPIT_DIR: dir,
            BSS_OTEL_ENABLED: "false",
          },
          lines.join("\n") + "\n",
        );
        assert.equal(run.code, 0, `${run.out}\n${run.err}`);
        return run.out;
      };

      let out = await repl(["--new", "--label", "acceptance"], [
        `why is ${line.id} blocked? fix it`,
      ]);
      const session = /session (SES-\d{8}-[0-9a-f]{8})/.exec(out)?.[1];
      assert.ok(session, out);
      // The diagnosis: reads, then the top-up, printed as it went.
      assert.match(out, /bss · cockpit/);
      assert.match(out, /· calling subscription\.get\n/);
      assert.match(out, /· calling subscription\.purchase_vas\n/);
      // The line's cards count the days to renewal on the BSS clock, as `bss` does.
      assert.match(out, /Renews in: \d+ days \(\d{4}-\d\d-\d\d\)/);
      assert.match(out, new RegExp(`${line.id} was blocked on exhausted data`));
      const after = await tool("subscription.get", sub) as { state: string };
      assert.equal(after.state, "active");
      const interactions = await tool("interaction.list", { customer_id: customerId }) as Array<
        { actor: string; channel: string; summary: string }
      >;
      const logged = interactions.find((i) => i.summary.startsWith("Data exhausted"));
      assert.equal(logged?.actor, "llm-fixture-scripted");
      assert.equal(logged?.channel, "llm");
      const [vas] = await sys.db.sql`
        select actor, channel from audit.domain_event
        where aggregate_id = ${line.id} and event_type like '%vas%' order by id limit 1`;
      assert.deepEqual({ ...vas }, { actor: "llm-fixture-scripted", channel: "llm" });

      // The gate, in the same session resumed: proposed, discarded by "hello", proposed
      // again, run once by /confirm; a second /confirm finds nothing staged.
      out = await repl(["--session", session], [
        `terminate ${line.id}`,
        "hello",
        `terminate ${line.id}`,
        "/confirm",
        "/confirm",
        "/exit",
      ]);
      assert.match(out, new RegExp(`session ${session}`));
      const proposed = out.match(/Proposed subscription\.terminate\(/g) ?? [];
      assert.equal(proposed.length, 2, out);
      assert.match(
        out,
        /Discarded the pending subscription\.terminate\(.*\): only \/confirm runs it/,
      );
      assert.match(out, /\/confirm staged for subscription\.terminate args=/);
      assert.match(
        out,
        new RegExp(`Executed subscription\\.terminate\\(subscription_id="${line.id}"\\)`),
      );
      assert.match(out, /Nothing is staged/);
      const final = await tool("subscription.get", sub) as { state: string };
      assert.equal(final.state, "terminated");
      const [{ n }] = await sys.db.sql`
        select count(*)::int as n from audit.domain_event
        where aggregate_id = ${line.id} and event_type = 'subscription.terminated'`;
      assert.equal(n, 1);
    } finally {
      await sys.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
