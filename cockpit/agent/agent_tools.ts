/**
 * The registry's tools as LangChain tools: the same zod argument schemas, provider-safe
 * names, and around each call the turn's budget, the destructive gate, exceptions turned
 * into observations (tools/call.ts), the caller's attribution and an optional result guard
 * (the customer chat's ownership trip-wire). Results go to the model as JSON.
 *
 * @module
 */
import { type StructuredToolInterface, tool as langchainTool } from "@langchain/core/tools";
import { type Context, context } from "@opentelemetry/api";
import { type CallerContext, withCaller } from "../../kernel/context.ts";
import { callTool } from "../../tools/call.ts";
import type { Tool, ToolContext } from "../../tools/tool.ts";
import { blockedResult, type Gate } from "./gate.ts";
import { isFailure, type TurnLedger } from "./ledger.ts";
import { wireName } from "./wire_names.ts";

/** Checks a result before the model sees it; a message means: withhold it, stop the turn. */
export type ResultGuard = (tool: string, result: unknown) => string | undefined;

/** What the wrapped tools run with. */
export interface ToolDeps {
  ctx: ToolContext;
  /** Who the writes are attributed to (actor, channel). */
  caller: CallerContext;
  gate: Gate;
  ledger: TurnLedger;
  guard?: ResultGuard;
  /** The turn's trace context: tool calls are children of its `bss.ask` span. */
  otel?: Context;
}

/** Runs one registry tool as the agent does and records it in the ledger. */
export async function runAgentCall(
  tool: Tool,
  args: Record<string, unknown>,
  callId: string,
  deps: ToolDeps,
): Promise<unknown> {
  const destructive = tool.class === "destructive";
  let result: unknown;
  let blocked = false;
  if (!deps.ledger.admit(tool.name)) {
    result = { error: "TOOL_BUDGET_SPENT", detail: deps.ledger.stopped };
  } else if (destructive && !deps.gate.admit(tool.name, args)) {
    blocked = true;
    result = blockedResult(tool.name);
  } else {
    result = await context.with(
      deps.otel ?? context.active(),
      () => withCaller(deps.caller, () => callTool(tool, args, deps.ctx)),
    );
    const violation = isFailure(result) ? undefined : deps.guard?.(tool.name, result);
    if (violation) {
      deps.ledger.stop(violation);
      result = { error: "OWNERSHIP_VIOLATION", detail: "the result was withheld" };
    }
  }
  deps.ledger.record({
    name: tool.name,
    args,
    callId,
    result,
    failed: isFailure(result),
    blocked,
    destructive: destructive && !blocked && !isFailure(result),
  });
  return result;
}

/** `tools` wrapped for one turn. */
export function agentTools(tools: readonly Tool[], deps: ToolDeps): StructuredToolInterface[] {
  return tools.map((tool) =>
    langchainTool(
      async (args: Record<string, unknown>, config) => {
        const callId = (config as { toolCall?: { id?: string } })?.toolCall?.id ??
          crypto.randomUUID();
        return JSON.stringify(await runAgentCall(tool, args, callId, deps));
      },
      { name: wireName(tool.name), description: tool.description, schema: tool.args },
    )
  );
}
