/**
 * Agent test support: crafted tools that need no service, a scripted model from an inline
 * fixture, and one-call turns on them.
 *
 * @module
 */
import { HumanMessage } from "@langchain/core/messages";
import { z } from "zod";
import { localCaller } from "../../kernel/context.ts";
import { type Fixture, FixtureChatModel } from "../../cockpit/agent/fixture_model.ts";
import { type Autonomy, Gate } from "../../cockpit/agent/gate.ts";
import { runTurn, type TurnInput, type TurnResult } from "../../cockpit/agent/turn.ts";
import { defineTool, type Tool, type ToolClass } from "../../tools/tool.ts";
import { PolicyViolation } from "../../kernel/errors.ts";

/** A tool that records its calls and answers `answer(args)`. */
export function craftedTool(
  name: string,
  cls: ToolClass,
  answer: (args: Record<string, unknown>) => unknown = (args) => ({ ok: true, args }),
  ran: string[] = [],
): Tool {
  return defineTool({
    name,
    description: `crafted ${name}`,
    class: cls,
    profiles: ["operator_cockpit"],
    args: z.object({ id: z.string().optional() }),
    // deno-lint-ignore require-await
    run: async (args) => {
      ran.push(name);
      return answer(args);
    },
  });
}

/** A tool that always refuses with a policy violation. */
export function refusingTool(name: string): Tool {
  return craftedTool(name, "update", () => {
    throw new PolicyViolation("thing.update.not_allowed", "no");
  });
}

/** A scripted turn: `match` → `steps`, as a fixture. */
export function scripted(steps: Fixture["responses"][number]["steps"], match = ""): Fixture {
  return { responses: [{ match, steps }] };
}

/** Runs one turn of `fixture` over `tools`. */
export function turn(
  fixture: Fixture,
  tools: Tool[],
  options: { prompt?: string; open?: boolean; autonomy?: Autonomy; budget?: number } = {},
  extra: Partial<TurnInput> = {},
): Promise<TurnResult> {
  return runTurn({
    model: new FixtureChatModel(fixture),
    systemPrompt: "test",
    messages: [new HumanMessage(options.prompt ?? "go")],
    tools,
    ctx: {
      client: () => {
        throw new Error("no services in this test");
      },
    },
    caller: localCaller("llm-test", "llm"),
    gate: new Gate(options.open ?? false, options.autonomy ?? "granular"),
    budget: options.budget ?? 20,
    ...extra,
  });
}
