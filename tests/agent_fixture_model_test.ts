/** The scripted model: a fixture's `{{PREFIX}}` ids, from the prompt, then the turn's results. */
import assert from "node:assert/strict";
import { AIMessage, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { Fixture, FixtureChatModel } from "../cockpit/agent/fixture_model.ts";

const fixture = Fixture.parse({
  responses: [{
    match: "is blocked",
    steps: [
      { tool_calls: [{ name: "subscription.get", args: { subscription_id: "{{SUB}}" } }] },
      {
        tool_calls: [{
          name: "interaction.log",
          args: { customer_id: "{{CUST}}", summary: "about {{SUB}} ({{ORD}})" },
        }],
      },
    ],
  }],
});

Deno.test("fixture ids: the prompt's first, else the first in the turn's tool results", async () => {
  const model = new FixtureChatModel(fixture);
  const prompt = new HumanMessage("SUB-0007 is blocked, see SUB-0009");
  const first = await model._generate([prompt]);
  const call = (first.generations[0].message as AIMessage).tool_calls![0];
  assert.deepEqual(call.args, { subscription_id: "SUB-0007" });
  const result = new ToolMessage({
    content: JSON.stringify({ id: "SUB-0007", customerId: "CUST-0042" }),
    tool_call_id: call.id!,
  });
  const second = await model._generate([prompt, first.generations[0].message, result]);
  // CUST comes from the line just read; SUB still from the prompt; ORD, found nowhere, stays.
  assert.deepEqual((second.generations[0].message as AIMessage).tool_calls![0].args, {
    customer_id: "CUST-0042",
    summary: "about SUB-0007 ({{ORD}})",
  });
});
