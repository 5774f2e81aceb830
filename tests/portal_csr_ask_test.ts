/**
 * The operator CRM's "Ask the agent" with the scripted model: the answer comes back with each
 * tool the agent called, shown as its card; a destructive call is only proposed (the line stays
 * active) and the page says where to do it; without a model the page says how to configure one.
 */
import assert from "node:assert/strict";
import { getSubscription } from "../http/subscription/routes.ts";
import { order, signupCustomer } from "./support/signup.ts";
import { startSystem } from "./support/system.ts";

/** A browser of one CRM: its cookie and CSRF secret, pages as text. */
function visitor(base: string) {
  let cookie = "";
  let csrf = "";
  const keep = (r: Response) => {
    const set = r.headers.get("set-cookie");
    if (set) cookie = set.split(";")[0];
  };
  return {
    async get(path: string) {
      const r = await fetch(`${base}${path}`, { headers: { cookie } });
      keep(r);
      const text = await r.text();
      csrf = /name="csrf" value="([^"]+)"/.exec(text)?.[1] ?? csrf;
      return { status: r.status, text };
    },
    async post(path: string, fields: Record<string, string>) {
      const r = await fetch(`${base}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ ...fields, csrf }),
      });
      return { status: r.status, text: await r.text() };
    },
  };
}

Deno.test({
  name: "CRM ask: answers with the agent's tool cards; a termination is only proposed",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "bss_csr_ask_" });
    await Deno.writeTextFile(
      `${dir}/fixture.json`,
      JSON.stringify({
        responses: [
          {
            match: "how is",
            steps: [
              { tool_calls: [{ name: "subscription.get", args: { subscription_id: "{{SUB}}" } }] },
              { content: "The line is active and renews next month." },
            ],
          },
          {
            match: "terminate",
            steps: [
              {
                tool_calls: [{
                  name: "subscription.terminate",
                  args: { subscription_id: "{{SUB}}" },
                }],
              },
              { content: "Terminating it needs your confirmation." },
            ],
          },
        ],
      }),
    );
    const system = await startSystem("portal_csr_ask", {
      BSS_LLM_FIXTURE_PATH: `${dir}/fixture.json`,
    });
    try {
      const customerId = await signupCustomer(system.client);
      const done = await order(system.client, customerId);
      const subId = done.productOrderItem[0].targetSubscriptionId!;
      const v = visitor(system.urls["portal-csr"]);

      const form = await v.get(`/ask?about=${customerId}`);
      assert.match(form.text, new RegExp(`<textarea[^>]*>About ${customerId}: </textarea>`));
      const asked = await v.post("/ask", { question: `How is ${subId} doing?` });
      assert.equal(asked.status, 200, asked.text);
      assert.match(asked.text, /The line is active and renews next month\./);
      assert.match(asked.text, /<code>subscription\.get<\/code>/);
      // The tool's result as its card, as the REPL prints it.
      assert.match(asked.text, new RegExp(`<pre>┌─ Subscription ${subId} ─[^<]*MSISDN:`));

      const proposed = await v.post("/ask", { question: `Please terminate ${subId}` });
      assert.match(
        proposed.text,
        /Proposed, not done: <!-- -->?<code>subscription\.terminate<\/code>|Proposed, not done: <code>subscription\.terminate<\/code>/,
      );
      assert.match(proposed.text, /danger section of its\s+page/);
      const line = await system.client.subscription.call(getSubscription, {
        params: { id: subId },
      });
      assert.equal(line.state, "active");
    } finally {
      await system.stop();
    }
  },
});

Deno.test({
  name: "CRM ask without a model says how to configure one",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const system = await startSystem("portal_csr_no_model");
    try {
      const page = await visitor(system.urls["portal-csr"]).get("/ask");
      assert.equal(page.status, 200);
      assert.match(page.text, /No model is configured/);
      assert.doesNotMatch(page.text, /<textarea/);
    } finally {
      await system.stop();
    }
  },
});
