/**
 * One agent turn: LangGraph's prebuilt ReAct agent, built fresh per turn over the profile's
 * tools (agent_tools.ts), streamed as plain events — tool started, tool completed, text as it
 * arrives, token usage, the final reply — and ended early by the ledger's bails. Callers (the
 * REPL, `bss ask`, scenario `ask` steps, the customer chat) add hygiene and persistence.
 *
 * @module
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { AIMessage, BaseMessage, ToolMessage } from "@langchain/core/messages";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { RunnableBinding } from "@langchain/core/runnables";
import { createReactAgent } from "@langchain/langgraph/prebuilt";
import type { Context } from "@opentelemetry/api";
import type { CallerContext } from "../../kernel/context.ts";
import type { Tool, ToolContext } from "../../tools/tool.ts";
import { agentTools, type ResultGuard } from "./agent_tools.ts";
import type { Gate, Proposal } from "./gate.ts";
import { type CallRecord, TurnLedger } from "./ledger.ts";
import { dottedName } from "./wire_names.ts";

/** What one turn runs with. */
export interface TurnInput {
  model: BaseChatModel;
  systemPrompt: string;
  /** Prior conversation plus this turn's user message. */
  messages: BaseMessage[];
  tools: readonly Tool[];
  ctx: ToolContext;
  caller: CallerContext;
  gate: Gate;
  /** Tool calls the turn may make. */
  budget: number;
  guard?: ResultGuard;
  /** LangGraph's step limit (its default is 25; scenario `ask` steps use 40). */
  recursionLimit?: number;
  signal?: AbortSignal;
  /** Report the answer's text as it arrives (default on). */
  streamText?: boolean;
  /** The trace context tool calls run in (the caller's `bss.ask` span). */
  otel?: Context;
}

/** Token counts of a turn. */
export interface Usage {
  input: number;
  output: number;
}

/** How a turn ended. */
export interface TurnResult {
  /** The latest non-empty model text of the turn (raw: callers apply hygiene). */
  reply: string;
  calls: CallRecord[];
  proposal?: Proposal;
  usage: Usage;
  /** Why the turn ended early (a bail, the trip-wire, a model error). */
  error?: string;
}

/** What a turn reports as it runs. */
export type TurnEvent =
  | { type: "tool_started"; name: string; args: Record<string, unknown>; callId: string }
  | { type: "tool_completed"; call: CallRecord }
  | { type: "text"; delta: string }
  | { type: "done"; result: TurnResult };

/** A message's text content. */
export function textOf(message: BaseMessage): string {
  const content = message.content;
  if (typeof content === "string") return content;
  return content.map((p) => p.type === "text" && "text" in p ? String(p.text) : "").join("");
}

/** Runs one turn, yielding its events; the last is `done`. */
export async function* streamTurn(input: TurnInput): AsyncGenerator<TurnEvent> {
  const abort = new AbortController();
  input.signal?.addEventListener("abort", () => abort.abort(input.signal?.reason));
  const ledger = new TurnLedger(input.budget, abort);
  const deps = { ...input, ledger };
  const events = new Channel<TurnEvent>();
  // Answer text comes from the model's own token callback, not LangGraph's `messages` stream
  // mode, whose handler on every step of the graph about doubles the cockpit's overhead.
  let streamed = false;
  const onToken = (token: string) => {
    streamed = true;
    events.push({ type: "text", delta: token });
  };
  // The handler rides on a binding around the model: LangGraph keeps the binding's config when
  // it binds the tools (a model's own `callbacks` are lost when ChatOpenAI copies itself).
  const llm = input.streamText === false ? input.model : new RunnableBinding({
    bound: input.model,
    config: { callbacks: [new TextHandler(onToken)] },
    kwargs: {},
  });
  const agent = createReactAgent({
    llm: llm as BaseChatModel,
    tools: agentTools(input.tools, deps),
    prompt: input.systemPrompt,
  });
  const usage: Usage = { input: 0, output: 0 };
  let reply = "";
  let error: string | undefined;
  const run = (async () => {
    const stream = await agent.stream({ messages: input.messages }, {
      streamMode: "updates",
      signal: abort.signal,
      recursionLimit: input.recursionLimit ?? 25,
    });
    for await (const chunk of stream) {
      for (const update of Object.values(chunk as Record<string, { messages?: BaseMessage[] }>)) {
        for (const message of update?.messages ?? []) {
          if (message.getType() === "ai") {
            const ai = message as AIMessage;
            usage.input += ai.usage_metadata?.input_tokens ?? 0;
            usage.output += ai.usage_metadata?.output_tokens ?? 0;
            const text = textOf(ai);
            if (text.trim()) reply = text;
            // A model that does not stream: its text arrives whole.
            if (text && !streamed && input.streamText !== false) {
              events.push({ type: "text", delta: text });
            }
            streamed = false;
            for (const call of ai.tool_calls ?? []) {
              const name = dottedName(call.name);
              events.push({ type: "tool_started", name, args: call.args, callId: call.id ?? "" });
            }
          } else if (message.getType() === "tool") {
            events.push({ type: "tool_completed", call: recordOf(message as ToolMessage, ledger) });
          }
        }
      }
    }
  })().catch((e) => {
    error = ledger.stopped ?? (e instanceof Error ? e.message : String(e));
  }).finally(() => events.close());
  yield* events.drain();
  await run;
  error ??= ledger.stopped;
  yield {
    type: "done",
    result: { reply, calls: ledger.calls, proposal: input.gate.proposal, usage, error },
  };
}

/** Passes a model's tokens on; asks models that can stream to do so. */
class TextHandler extends BaseCallbackHandler {
  name = "bss-turn-text";
  lc_prefer_streaming = true;

  constructor(readonly onToken: (token: string) => void) {
    super();
  }

  override handleLLMNewToken(token: string): void {
    if (token) this.onToken(token);
  }
}

/** Events from callbacks and the graph's stream, read in order by one consumer. */
class Channel<T> {
  #items: T[] = [];
  #wake?: () => void;
  #closed = false;

  push(item: T): void {
    this.#items.push(item);
    this.#wake?.();
  }

  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  async *drain(): AsyncGenerator<T> {
    for (;;) {
      while (this.#items.length) yield this.#items.shift()!;
      if (this.#closed) return;
      await new Promise<void>((resolve) => this.#wake = resolve);
      this.#wake = undefined;
    }
  }
}

/**
 * The ledger's record of a tool message; a call LangChain refused before it reached the
 * wrapper (arguments that break the schema, an unknown tool) is recorded as a failure here.
 */
function recordOf(message: ToolMessage, ledger: TurnLedger): CallRecord {
  const found = ledger.calls.find((c) => c.callId === message.tool_call_id);
  if (found) return found;
  const call: CallRecord = {
    name: dottedName(message.name ?? "unknown"),
    args: {},
    callId: message.tool_call_id,
    result: { error: "TOOL_ERROR", detail: textOf(message) },
    failed: true,
    blocked: false,
    destructive: false,
  };
  ledger.record(call);
  return call;
}

/** Runs a turn to its end, passing each event to `on`. */
export async function runTurn(
  input: TurnInput,
  on: (event: TurnEvent) => void = () => {},
): Promise<TurnResult> {
  for await (const event of streamTurn(input)) {
    on(event);
    if (event.type === "done") return event.result;
  }
  throw new Error("the turn ended without a result");
}
