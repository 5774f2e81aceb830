/**
 * One agent turn without a session: `bss ask "…"`, scenario `ask` steps and the agent bench.
 * The default operator prompt, the `operator_cockpit` tools, attributed to `llm-<model>` on
 * channel `llm`, in a `bss.ask` span (`bss trace for-ask` finds the latest). The gate is
 * closed unless `allowDestructive`; autonomy defaults to `batched`.
 *
 * @module
 */
import { HumanMessage } from "@langchain/core/messages";
import { context, trace } from "@opentelemetry/api";
import type { Config } from "../../kernel/config.ts";
import { localCaller } from "../../kernel/context.ts";
import { toolsFor } from "../../tools/registry.ts";
import type { ToolContext } from "../../tools/tool.ts";
import { guardCitations } from "./citation.ts";
import { type Autonomy, Gate } from "./gate.ts";
import { hygienicReply } from "./hygiene.ts";
import { chatModel, llmActor, NO_MODEL } from "./model.ts";
import { operatorPrompt, planLines } from "./prompts.ts";
import { runTurn, type TurnEvent, type TurnResult } from "./turn.ts";

const tracer = trace.getTracer("bss.cockpit");

/** How one ask runs. */
export interface AskOptions {
  allowDestructive?: boolean;
  autonomy?: Autonomy;
  /** LangGraph's step limit (scenario `ask` steps use 40). */
  recursionLimit?: number;
  timeoutMs?: number;
  onEvent?: (event: TurnEvent) => void;
}

/** An ask's outcome: the turn, and its reply after hygiene and the citation guard. */
export interface Asked extends TurnResult {
  answer: string;
}

/** Thrown when no model is configured. */
export class NoModel extends Error {
  override name = "NoModel";
  constructor() {
    super(NO_MODEL);
  }
}

/** Runs one ask with the configured model; throws {@link NoModel} without one. */
export async function askOnce(
  config: Config,
  ctx: ToolContext,
  prompt: string,
  options: AskOptions = {},
): Promise<Asked> {
  const model = await chatModel(config);
  if (!model) throw new NoModel();
  return await tracer.startActiveSpan("bss.ask", async (span) => {
    try {
      const result = await runTurn({
        model,
        systemPrompt: operatorPrompt(await planLines(ctx).catch(() => "")),
        messages: [new HumanMessage(prompt)],
        tools: toolsFor("operator_cockpit"),
        ctx,
        caller: localCaller(llmActor(config.BSS_LLM_MODEL), "llm"),
        gate: new Gate(options.allowDestructive ?? false, options.autonomy ?? "batched"),
        budget: config.BSS_LLM_TOOL_CALL_BUDGET,
        recursionLimit: options.recursionLimit,
        streamText: false,
        signal: options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined,
        otel: context.active(),
      }, options.onEvent);
      const names = result.calls.map((c) => c.name);
      const answer = result.error ??
        guardCitations(hygienicReply(result.reply, result.calls.length), names);
      return { ...result, answer };
    } finally {
      span.end();
    }
  });
}
