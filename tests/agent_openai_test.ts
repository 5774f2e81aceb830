/**
 * The real `@langchain/openai` adapter over HTTP against the local OpenAI-compatible stand-in:
 * the agent streams (text arrives in pieces), tool calls round-trip with dotted names mapped
 * to provider-safe ones and back, usage is summed from the usage chunks, and the request
 * carries the model, temperature 0, the max tokens and the API key.
 */
import assert from "node:assert/strict";
import { HumanMessage } from "@langchain/core/messages";
import { localCaller } from "../kernel/context.ts";
import { Gate } from "../cockpit/agent/gate.ts";
import { chatModel } from "../cockpit/agent/model.ts";
import { runTurn, type TurnEvent } from "../cockpit/agent/turn.ts";
import { craftedTool } from "./support/agent.ts";
import { testConfig } from "./support/http.ts";
import { startStandIn } from "./support/openai_standin.ts";

Deno.test({
  name: "the OpenAI adapter streams a turn with tool calls from a compatible endpoint",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const standIn = startStandIn({
      responses: [{
        match: "check",
        steps: [
          { tool_calls: [{ name: "thing.get", args: { id: "T-1" } }], content: "" },
          { content: "Thing T-1 checked: all good." },
        ],
      }],
    });
    try {
      const config = testConfig({
        BSS_LLM_BASE_URL: standIn.url,
        BSS_LLM_MODEL: "standin/model-1",
        BSS_LLM_API_KEY: "sk-test-key",
        BSS_LLM_MAX_TOKENS: "321",
      });
      const model = await chatModel(config);
      assert.ok(model);
      const ran: string[] = [];
      const events: TurnEvent[] = [];
      const result = await runTurn({
        model,
        systemPrompt: "test",
        messages: [new HumanMessage("please check T-1")],
        tools: [craftedTool("thing.get", "read", undefined, ran)],
        ctx: {
          client: () => {
            throw new Error("no services");
          },
        },
        caller: localCaller("llm-standin-model-1", "llm"),
        gate: new Gate(false, "granular"),
        budget: 5,
      }, (e) => events.push(e));

      assert.equal(result.error, undefined);
      assert.deepEqual(ran, ["thing.get"]);
      assert.deepEqual(result.calls.map((c) => [c.name, c.args]), [["thing.get", { id: "T-1" }]]);
      assert.equal(result.reply, "Thing T-1 checked: all good.");
      const deltas = events.filter((e) => e.type === "text");
      assert.ok(deltas.length > 3, "the answer arrives in pieces");
      assert.equal(deltas.map((e) => (e as { delta: string }).delta).join(""), result.reply);
      assert.deepEqual(result.usage, { input: 22, output: 14 });

      assert.equal(standIn.requests.length, 2);
      const [first, second] = standIn.requests;
      assert.equal(first.authorization, "Bearer sk-test-key");
      assert.equal(first.body.model, "standin/model-1");
      assert.equal(first.body.stream, true);
      assert.equal(first.body.temperature, 0);
      assert.equal(first.body.max_tokens ?? first.body.max_completion_tokens, 321);
      assert.deepEqual(first.body.tools?.map((t) => t.function.name), ["thing__get"]);
      assert.equal(first.body.messages[0].role, "system");
      // The second request carries the tool call and its result back.
      const roles = second.body.messages.map((m) => m.role);
      assert.deepEqual(roles, ["system", "user", "assistant", "tool"]);
      assert.match(String(second.body.messages[3].content), /"id":"T-1"/);
    } finally {
      await standIn.stop();
    }
  },
});
