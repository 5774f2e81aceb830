/**
 * The portal's chat page on the customer chat core, with the scripted model: an answer
 * streamed over SSE and kept in the thread, an escalation opening a case, a turn of someone
 * else refused (403) and an unknown one 404, and a proposed cancellation run only after the
 * step-up. The floating widget: an island over a plain link to the chat page on every other
 * signed-in page, asking for its turn as JSON and reading the thread; past the hourly cap a
 * banner says when to ask again.
 */
import assert from "node:assert/strict";
import { listCases } from "../http/crm/cases.ts";
import { getSubscription } from "../http/subscription/routes.ts";
import { customerWithLine, Visitor } from "./support/portal.ts";
import { startSystem, until } from "./support/system.ts";

Deno.test({
  name: "portal chat: streamed answer, escalation to a case, turn isolation, confirm behind " +
    "step-up, the widget, the cap banner",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "bss_portal_chat_" });
    const mailbox = `${dir}/mailbox.jsonl`;
    await Deno.writeTextFile(
      `${dir}/fixture.json`,
      JSON.stringify({
        responses: [
          {
            match: "my lines",
            steps: [
              { tool_calls: [{ name: "subscription.list_mine", args: {} }] },
              { content: "You have one line." },
            ],
          },
          {
            match: "a person",
            steps: [
              {
                tool_calls: [{
                  name: "case.open_for_me",
                  args: { category: "other", subject: "Wants a person", description: "Asked" },
                }],
              },
              { content: "I opened a case for you." },
            ],
          },
          {
            match: "cancel",
            steps: [
              {
                tool_calls: [{
                  name: "subscription.terminate_mine",
                  args: { subscription_id: "{{SUB}}" },
                }],
              },
              { content: "Please confirm the cancellation." },
            ],
          },
        ],
      }),
    );
    const system = await startSystem("portal_chat", {
      BSS_PORTAL_DEV_MAILBOX_PATH: mailbox,
      BSS_LLM_FIXTURE_PATH: `${dir}/fixture.json`,
      // Four turns below go through; the fifth meets the cap.
      BSS_CHAT_RATE_PER_CUSTOMER_PER_HOUR: "4",
    });
    try {
      const mine = await customerWithLine(system.client, "chat@example.com");
      await customerWithLine(system.client, "other@example.com");
      const v = new Visitor(system.portalUrl, mailbox);
      await v.signIn("chat@example.com");
      const cookie = () => [...v.cookies].map(([k, x]) => `${k}=${x}`).join("; ");

      await v.get("/chat");
      const asked = await v.post("/chat/message", { message: "what are my lines?" });
      const turn = /turn=(\w+)/.exec(asked.location!)![1];
      const stream = await (await fetch(`${system.portalUrl}/chat/events/${turn}`, {
        headers: { cookie: cookie() },
        signal: AbortSignal.timeout(60_000),
      })).text();
      assert.match(stream, /event: tool\ndata: subscription\.list_mine/);
      assert.match(stream, /event: done\ndata: \{"reply":"You have one line\."/);
      assert.match(stream, /event: status\ndata: done/);
      assert.match((await v.get("/chat")).text, /chat-bubble-assistant">You have one line\./);

      // Someone else cannot open this turn's stream; an unknown one is not found.
      const other = new Visitor(system.portalUrl, mailbox);
      await other.signIn("other@example.com");
      assert.equal((await other.get(`/chat/events/${turn}`)).status, 403);
      assert.equal((await v.get("/chat/events/nope")).status, 404);

      // Escalation opens a case for this customer.
      await v.post("/chat/message", { message: "I want a person" });
      const [escalated] = await until(
        () => system.client.crm.call(listCases, { query: { customerId: mine.customerId } }),
        (cases) => cases.length === 1,
        "the escalation's case",
      );
      // The customer finds it on their support page, in words, with its reference; no one
      // else's cases are there (the other visitor has none).
      const support = await v.get("/support");
      assert.match(
        support.text,
        new RegExp(`<td>${escalated.subject}</td><td>Open</td><td class="nowrap">${escalated.id}`),
      );
      assert.match(support.text, /Something new\? <a href="\/chat">/);
      assert.match((await other.get("/support")).text, /You have no support cases\./);

      // A proposed cancellation runs only after the step-up.
      await v.post("/chat/message", { message: `cancel ${mine.subscriptionId}` });
      const proposed = await until(
        () => v.get("/chat"),
        (r) => r.text.includes("chat-proposal"),
        "the proposal",
      );
      assert.match(proposed.text, /subscription\.terminate_mine/);
      let line = await system.client.subscription.call(getSubscription, {
        params: { id: mine.subscriptionId },
      });
      assert.equal(line.state, "active", "nothing runs before the confirmation");
      const bounce = await v.post("/chat/confirm");
      assert.match(bounce.location!, /action=subscription_terminate/);
      const done = await v.replay((await v.stepUp(bounce.location!, "chat@example.com")).text);
      assert.equal(done.location, "/chat");
      const after = (await v.get("/chat")).text;
      const failed = /That did not go through \(([^)]*)\)/.exec(after);
      assert.equal(failed?.[1], undefined, "the confirmed termination went through");
      assert.match(after, /Done: subscription\.terminate_mine\./);

      // The widget: on every signed-in page but the chat's own, over a link that works without JS.
      const home = (await v.get("/")).text;
      assert.match(home, /data-island="ChatWidget"[^>]*><a class="chat-fab button" href="\/chat"/);
      assert.match(home, /<script type="module" src="\/static\/islands\/ChatWidget-\w+\.js">/);
      assert.doesNotMatch(after, /data-island="ChatWidget"/);
      const json = await v.post("/chat/message", { message: "what are my lines now?" }, {
        headers: { accept: "application/json" },
      });
      const { turn: widgetTurn } = JSON.parse(json.text);
      const widgetStream = await (await fetch(`${system.portalUrl}/chat/events/${widgetTurn}`, {
        headers: { cookie: cookie() },
        signal: AbortSignal.timeout(60_000),
      })).text();
      assert.match(widgetStream, /event: done\ndata: \{"reply":"You have one line\."/);
      const thread = JSON.parse((await v.get("/chat/thread")).text);
      assert.deepEqual(thread.lines.at(-1), { role: "assistant", content: "You have one line." });
      assert.equal(thread.retryAt, null);

      // Past the hourly cap: nothing runs, and the page says when to ask again.
      const capped = await v.post("/chat/message", { message: "my lines?" }, {
        headers: { accept: "application/json" },
      });
      const cappedStream = await (await fetch(
        `${system.portalUrl}/chat/events/${JSON.parse(capped.text).turn}`,
        { headers: { cookie: cookie() }, signal: AbortSignal.timeout(60_000) },
      )).text();
      const retryAt = /"retryAt":"([^"]+)"/.exec(cappedStream)?.[1];
      assert.ok(retryAt && Date.parse(retryAt) > Date.now(), cappedStream);
      assert.match(cappedStream, /"capped":true/);
      assert.equal(JSON.parse((await v.get("/chat/thread")).text).retryAt, retryAt);
      assert.match(
        (await v.get("/chat")).text,
        new RegExp(
          `role="alert">You have reached the chat limit for now\\. You can ask again after ${
            retryAt.slice(11, 16)
          } UTC\\.`,
        ),
      );
      line = await system.client.subscription.call(getSubscription, {
        params: { id: mine.subscriptionId },
      });
      assert.equal(line.state, "terminated");
    } finally {
      await system.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
