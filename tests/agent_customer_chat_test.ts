/**
 * The customer chat core against the whole system on the scripted model: a read of the
 * customer's own lines, an escalation that opens a case with the chat transcript, another
 * customer's line refused, a termination proposed and run only by `confirm`, the caps
 * refusing before any model call, and no model → unavailable (fail closed).
 */
import assert from "node:assert/strict";
import { type ChatEvent, type ChatOutcome, CustomerChat } from "../cockpit/agent/customer_chat.ts";
import { type Fixture, FixtureChatModel } from "../cockpit/agent/fixture_model.ts";
import { ChatCaps } from "../cockpit/agent/chat_caps.ts";
import { localCaller, withCaller } from "../kernel/context.ts";
import { listSubscriptions } from "../http/subscription/routes.ts";
import { callTool } from "../tools/call.ts";
import { toolContext } from "../tools/context.ts";
import { toolNamed } from "../tools/registry.ts";
import { order, signupCustomer } from "./support/signup.ts";
import { startSystem } from "./support/system.ts";
import { testConfig } from "./support/http.ts";
import { freePortOffset } from "../http/free_ports.ts";
import type { BaseMessage } from "@langchain/core/messages";

async function turn(chat: CustomerChat, customerId: string, message: string, ip?: string) {
  const events: ChatEvent[] = [];
  for await (const e of chat.runChatTurn({ customerId, message, ip })) events.push(e);
  const done = events.at(-1);
  assert.equal(done?.type, "done");
  return { events, outcome: (done as { outcome: ChatOutcome }).outcome };
}

Deno.test("customer chat: the prompt names the configured operator and support address", async () => {
  const config = testConfig({
    BSS_OPERATOR_NAME: "Acme Mobile",
    BSS_OPERATOR_SUPPORT_EMAIL: "help@acme.example",
  });
  let system = "";
  class Capturing extends FixtureChatModel {
    override _generate(messages: BaseMessage[]) {
      system = String(messages.find((m) => m.getType() === "system")?.content ?? "");
      return super._generate(messages);
    }
  }
  const chat = new CustomerChat({
    config,
    sql: undefined as never,
    caps: {
      check: () => Promise.resolve(undefined),
      record: () => Promise.resolve(),
    } as unknown as ChatCaps,
    // The plan list is read from the catalog; none here, so the prompt goes without it.
    ctx: toolContext(testConfig({ BSS_PORT_OFFSET: String(freePortOffset()) }), "portal-chat"),
    model: () => Promise.resolve(new Capturing({ responses: [] })),
  });
  await turn(chat, "CUST-0001", "hello");
  assert.match(system, /support assistant of Acme Mobile/);
  assert.match(system, /help@acme\.example/);
});

Deno.test({
  name: "customer chat: own reads, escalation with transcript, ownership, confirm, caps",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sys = await startSystem("agent_customer_chat");
    try {
      const customerId = await signupCustomer(sys.client);
      await order(sys.client, customerId);
      const [line] = await sys.client.subscription.call(listSubscriptions, {
        query: { customerId },
      });
      const stranger = await signupCustomer(sys.client);
      await order(sys.client, stranger);
      const [theirs] = await sys.client.subscription.call(listSubscriptions, {
        query: { customerId: stranger },
      });
      const fixture: Fixture = {
        responses: [
          {
            match: "my lines",
            steps: [
              { tool_calls: [{ name: "subscription.list_mine", args: {} }], content: "" },
              { content: `<think>one line</think>You have one line, ${line.id}.` },
            ],
          },
          {
            match: "double charged",
            steps: [
              {
                tool_calls: [{
                  name: "case.open_for_me",
                  args: { category: "billing_dispute", subject: "Charged twice", description: "x" },
                }],
                content: "",
              },
              { content: "I opened a case for you." },
            ],
          },
          {
            match: "their line",
            steps: [
              {
                tool_calls: [{
                  name: "subscription.get_mine",
                  args: { subscription_id: theirs.id },
                }],
                content: "",
              },
              { content: "That line is not yours." },
            ],
          },
          {
            match: "cancel my line",
            steps: [
              {
                tool_calls: [{
                  name: "subscription.terminate_mine",
                  args: { subscription_id: line.id },
                }],
                content: "",
              },
              { content: "Please confirm the termination." },
            ],
          },
        ],
      };
      const chat = new CustomerChat({
        config: sys.config,
        sql: sys.db.sql,
        ctx: toolContext(sys.config, "portal-chat"),
        caps: new ChatCaps(sys.db.sql, {
          perCustomerPerHour: 4,
          monthlyCostCents: 1000,
          perIpPerHour: 100,
        }),
        model: () => Promise.resolve(new FixtureChatModel(fixture)),
      });

      const read = await turn(chat, customerId, "what are my lines?");
      assert.deepEqual(read.outcome.toolsCalled, ["subscription.list_mine"]);
      assert.equal(read.outcome.reply, `You have one line, ${line.id}.`);
      const streamed = read.events.filter((e) => e.type === "text")
        .map((e) => (e as { delta: string }).delta).join("");
      assert.equal(streamed, read.outcome.reply);

      const escalated = await turn(chat, customerId, "I was double charged");
      assert.match(escalated.outcome.caseId ?? "", /^CASE-/);
      const operator = toolContext(sys.config, "test");
      const transcript = await withCaller(
        localCaller("cli-user", "cli"),
        () =>
          callTool(toolNamed("case.show_transcript_for")!, {
            case_id: escalated.outcome.caseId,
          }, operator),
      ) as { transcript: string; customerId: string };
      assert.equal(transcript.customerId, customerId);
      assert.match(transcript.transcript, /I was double charged/);

      const foreign = await turn(chat, customerId, "show me their line");
      assert.equal(foreign.outcome.error, undefined);
      assert.equal(foreign.outcome.tripped, undefined);
      const seen = foreign.outcome.reply;
      assert.ok(!seen.includes(stranger), seen);

      const proposal = await turn(chat, customerId, "cancel my line please");
      assert.deepEqual(proposal.outcome.proposal, {
        tool: "subscription.terminate_mine",
        args: { subscription_id: line.id },
      });
      const [still] = await sys.client.subscription.call(listSubscriptions, {
        query: { customerId },
      });
      assert.equal(still.state, "active");
      const done = await chat.confirm(customerId, proposal.outcome.proposal!) as {
        state: string;
      };
      assert.equal(done.state, "terminated");
      // A proposal cannot be replayed for someone else's line.
      const forged = await chat.confirm(customerId, {
        tool: "subscription.terminate_mine",
        args: { subscription_id: theirs.id },
      }) as { rule: string };
      assert.equal(forged.rule, "policy.subscription.not_owned_by_actor");

      // The hourly cap (4) refuses the fifth turn before any model is asked.
      const capped = await turn(chat, customerId, "what are my lines?");
      assert.equal(capped.outcome.refused?.cap, "hourly_rate_cap");
      assert.deepEqual(capped.outcome.toolsCalled, []);

      const unconfigured = new CustomerChat({
        config: sys.config,
        sql: sys.db.sql,
        ctx: operator,
        model: () => Promise.resolve(undefined),
      });
      const refused = await turn(unconfigured, stranger, "hello");
      assert.equal(refused.outcome.error, "no model configured");
    } finally {
      await sys.stop();
    }
  },
});
