/**
 * `deno task bench agent [--rounds 50]`: the cockpit's own overhead per tool call. Turns with
 * 1 and 5 tool calls run on the scripted model, in process, with every `operator_cockpit`
 * tool bound (as a real turn has them) plus a no-op tool the script calls. Model time (the
 * scripted model's own work) and tool time (the no-op's) are measured and taken out; what
 * is left is the agent's machinery — the LangGraph graph built per turn, tool wrapping and
 * schemas, the gate, the ledger, results to JSON and back, streaming. Divided by the calls
 * of the turn: overhead per tool call, p50/p99 (target p50 < 10 ms, docs/handbook/cockpit.md).
 * No service is called, so service latency is not in the figure.
 *
 * @module
 */
import type { BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import { HumanMessage } from "@langchain/core/messages";
import { z } from "zod";
import { localCaller } from "../kernel/context.ts";
import { type Fixture, FixtureChatModel } from "../cockpit/agent/fixture_model.ts";
import { Gate } from "../cockpit/agent/gate.ts";
import { runTurn } from "../cockpit/agent/turn.ts";
import { toolsFor } from "../tools/registry.ts";
import { defineTool } from "../tools/tool.ts";
import { fmt, percentile } from "./lib/stats.ts";
import { table } from "./lib/table.ts";
import { benchArgs } from "./lib/args.ts";

/** Time spent in the model and in the tool, per turn. */
const spent = { model: 0, tool: 0 };

/** The scripted model, timed. */
class TimedModel extends FixtureChatModel {
  override async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const start = performance.now();
    try {
      return await super._generate(messages);
    } finally {
      spent.model += performance.now() - start;
    }
  }
}

const noop = defineTool({
  name: "bench.noop",
  description: "Does nothing (bench)",
  class: "read",
  profiles: ["operator_cockpit"],
  args: z.object({ i: z.number().int() }),
  // deno-lint-ignore require-await
  run: async ({ i }) => {
    const start = performance.now();
    const result = { i, ok: true };
    spent.tool += performance.now() - start;
    return result;
  },
});

const TOOLS = [...toolsFor("operator_cockpit"), noop];

/** A script of `calls` tool calls, then an answer. */
function script(calls: number): Fixture {
  const steps = Array.from({ length: calls }, (_, i) => ({
    tool_calls: [{ name: "bench.noop", args: { i } }],
    content: "",
  }));
  return { responses: [{ match: "", steps: [...steps, { content: "done" }] }] };
}

/** Overhead per tool call (ms) of `rounds` turns of `calls` calls, and whole-turn times. */
async function measure(calls: number, rounds: number) {
  const fixture = script(calls);
  const perCall: number[] = [];
  const turns: number[] = [];
  for (let r = 0; r < rounds; r++) {
    spent.model = spent.tool = 0;
    const start = performance.now();
    const result = await runTurn({
      model: new TimedModel(fixture),
      systemPrompt: "bench",
      messages: [new HumanMessage("go")],
      tools: TOOLS,
      ctx: {
        client: () => {
          throw new Error("the bench calls no service");
        },
      },
      caller: localCaller("llm-bench", "llm"),
      gate: new Gate(false, "granular"),
      budget: 50,
    });
    const wall = performance.now() - start;
    if (result.error || result.calls.length !== calls) {
      throw new Error(`bench turn went wrong: ${result.error ?? result.calls.length}`);
    }
    turns.push(wall);
    perCall.push((wall - spent.model - spent.tool) / calls);
  }
  return { perCall, turns };
}

/** Runs the bench. */
export async function main(args: string[]): Promise<void> {
  const rounds = benchArgs("deno task bench agent [--rounds 50]", args, {
    rounds: { type: "string", default: "50" },
  }).count("rounds");
  await measure(1, 5); // warm-up: module loading and JIT are not the steady state
  const results = [];
  const rows = [];
  for (const calls of [1, 5]) {
    const { perCall, turns } = await measure(calls, rounds);
    const p = (xs: number[], q: number) => percentile(xs, q);
    rows.push([
      String(calls),
      String(rounds),
      fmt(p(turns, 50), 1),
      fmt(p(turns, 99), 1),
      fmt(p(perCall, 50), 2),
      fmt(p(perCall, 99), 2),
      fmt(Math.min(...perCall), 2),
    ]);
    results.push({
      calls,
      rounds,
      turn_p50_ms: p(turns, 50),
      turn_p99_ms: p(turns, 99),
      overhead_per_call_p50_ms: p(perCall, 50),
      overhead_per_call_p99_ms: p(perCall, 99),
      overhead_per_call_min_ms: Math.min(...perCall),
    });
  }
  console.log(`${TOOLS.length} tools bound per turn, scripted model, no service calls\n`);
  console.log(table(
    ["calls/turn", "turns", "turn p50 ms", "turn p99 ms", "overhead/call p50", "p99", "min"],
    rows,
  ));
  // On a shared machine the minimum is the figure least inflated by other work.
  const load = Deno.loadavg()[0].toFixed(1);
  console.log(`\ntarget: overhead per tool call p50 < 10 ms · load average ${load}`);
  console.log(JSON.stringify({ bench: "agent", results }));
}
