/**
 * The customer chat core, for the self-serve portal's chat page: one streamed agent turn for
 * a signed-in customer over the `customer_self_serve` profile (the wrappers that take no
 * customer argument), with the customer bound as the actor on channel `portal-chat` and the
 * chat's transcript bound for escalations (`case.open_for_me` stores it and links its hash
 * to the case). Around the turn: the caps, checked first and failing closed; the ownership
 * trip-wire; hygiene; usage and cost recorded after. Destructive wrappers
 * (`subscription.terminate_mine`) are proposed, never run by the model: the portal asks for
 * its step-up and then calls {@link CustomerChat.confirm}.
 *
 * @example
 * ```ts
 * const chat = new CustomerChat({ config, sql });
 * for await (const e of chat.runChatTurn({ customerId: "CUST-0001", message: "my balance?" })) {
 *   if (e.type === "text") send(e.delta);
 *   if (e.type === "done") finish(e.outcome);
 * }
 * ```
 *
 * @module
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { type BaseMessage, HumanMessage } from "@langchain/core/messages";
import type { Config } from "../../kernel/config.ts";
import { type CallerContext, withCaller } from "../../kernel/context.ts";
import type { Sql } from "../../kernel/db/types.ts";
import { log } from "../../kernel/log.ts";
import { callTool } from "../../tools/call.ts";
import { toolContext } from "../../tools/context.ts";
import { toolNamed, toolsFor } from "../../tools/registry.ts";
import type { ToolContext } from "../../tools/tool.ts";
import { runAgentCall } from "./agent_tools.ts";
import { type CapRefusal, ChatCaps } from "./chat_caps.ts";
import { Gate, type Proposal } from "./gate.ts";
import { hygienicReply } from "./hygiene.ts";
import { TurnLedger } from "./ledger.ts";
import { chatModel } from "./model.ts";
import { ownershipGuard, type OwnershipTrip } from "./ownership_guard.ts";
import { costCents } from "./pricing.ts";
import { customerChatPrompt, planLines } from "./prompts.ts";
import { StreamFilter } from "./stream_filter.ts";
import { historyFor } from "./transcript.ts";
import { streamTurn, type TurnResult } from "./turn.ts";

/** One earlier line of the chat. */
export interface ChatLine {
  role: "user" | "assistant";
  content: string;
}

/** One chat turn's request. */
export interface ChatTurnInput {
  /** The signed-in customer (from the portal session, never from the message). */
  customerId: string;
  customerName?: string;
  message: string;
  /** The chat so far, oldest first. */
  history?: readonly ChatLine[];
  /** The client's address, for the per-IP cap. */
  ip?: string;
  signal?: AbortSignal;
}

/** How a chat turn ended. */
export interface ChatOutcome {
  /** What to show the customer (already cleaned). */
  reply: string;
  toolsCalled: string[];
  /** The cap that refused the turn (nothing ran). */
  refused?: CapRefusal;
  /** A destructive action the model proposed: confirm it with {@link CustomerChat.confirm}. */
  proposal?: Proposal;
  /** The case an escalation opened. */
  caseId?: string;
  /** The ownership trip-wire fired: the turn was stopped. */
  tripped?: boolean;
  /** Why the turn failed (a bail, the model, no model configured). */
  error?: string;
}

/** What a chat turn reports as it runs. */
export type ChatEvent =
  | { type: "text"; delta: string }
  | { type: "tool"; name: string }
  | { type: "done"; outcome: ChatOutcome };

/** What the chat runs with. */
export interface ChatDeps {
  config: Config;
  /** For the cost cap's usage table. */
  sql: Sql;
  /** Default: clients with the `portal_self_serve` token. */
  ctx?: ToolContext;
  /** Default: caps from the configuration. */
  caps?: ChatCaps;
  /** Default: the configured model ({@link chatModel}). */
  model?: () => Promise<BaseChatModel | undefined>;
}

export const CHAT_ERROR = "Sorry — something went wrong. Please try again.";
export const CHAT_UNAVAILABLE = "The chat is not available right now. Please try again later.";
export const CHAT_CAPPED = "You have reached the chat limit for now.";
/** A turn's `error` when no model is configured. */
export const CHAT_NO_MODEL = "no model configured";

/** The chat transcript as it is bound for an escalation. */
function transcriptText(history: readonly ChatLine[], message: string): string {
  return [...history, { role: "user", content: message }]
    .map((l) => `${l.role}:\n${l.content}`).join("\n\n");
}

/** The customer chat of a process. */
export class CustomerChat {
  readonly ctx: ToolContext;
  readonly caps: ChatCaps;
  readonly #model: () => Promise<BaseChatModel | undefined>;

  constructor(readonly deps: ChatDeps) {
    const { config } = deps;
    this.ctx = deps.ctx ?? toolContext(config, "portal-chat", "portal_self_serve");
    this.caps = deps.caps ?? new ChatCaps(deps.sql, {
      perCustomerPerHour: config.BSS_CHAT_RATE_PER_CUSTOMER_PER_HOUR,
      monthlyCostCents: config.BSS_CHAT_COST_CAP_PER_CUSTOMER_PER_MONTH_CENTS,
      perIpPerHour: config.BSS_CHAT_RATE_PER_IP_PER_HOUR,
    });
    this.#model = deps.model ?? (() => chatModel(config));
  }

  /** The attribution of the customer's own writes. */
  caller(customerId: string, transcript?: string): CallerContext {
    return {
      actor: customerId,
      channel: "portal-chat",
      serviceIdentity: "portal_self_serve",
      tenant: "DEFAULT",
      requestId: crypto.randomUUID(),
      transcript,
    };
  }

  /** Runs one chat turn, streaming; the last event is `done`. */
  async *runChatTurn(input: ChatTurnInput): AsyncGenerator<ChatEvent> {
    const done = (outcome: Partial<ChatOutcome> & { reply: string }): ChatEvent => ({
      type: "done",
      outcome: { toolsCalled: [], ...outcome },
    });
    const refused = await this.caps.check(input.customerId, input.ip);
    if (refused) {
      yield done({
        reply: `${CHAT_CAPPED} Try again after ${refused.retryAt.toISOString()}.`,
        refused,
      });
      return;
    }
    let model: BaseChatModel | undefined;
    try {
      model = await this.#model();
    } catch (e) {
      yield done({ reply: CHAT_UNAVAILABLE, error: String(e) });
      return;
    }
    if (!model) {
      yield done({ reply: CHAT_UNAVAILABLE, error: CHAT_NO_MODEL });
      return;
    }
    const history = input.history ?? [];
    // The same chrome filter and window as the cockpit's conversation.
    const messages: BaseMessage[] = [
      ...historyFor(history.map((l) => ({ ...l, toolCalls: null }))),
      new HumanMessage(input.message),
    ];
    let tripped = false;
    const guard = ownershipGuard(input.customerId, (trip) => {
      tripped = true;
      this.#reportTrip(trip, input.message);
    });
    const filter = new StreamFilter();
    let result: TurnResult | undefined;
    for await (
      const event of streamTurn({
        model,
        systemPrompt: customerChatPrompt({
          customerName: input.customerName ?? "the customer",
          operatorName: this.deps.config.BSS_OPERATOR_NAME,
          supportEmail: this.deps.config.BSS_OPERATOR_SUPPORT_EMAIL,
          plans: await planLines(this.ctx).catch(() => ""),
        }),
        messages,
        tools: toolsFor("customer_self_serve"),
        ctx: this.ctx,
        caller: this.caller(input.customerId, transcriptText(history, input.message)),
        gate: new Gate(false, "granular"),
        budget: this.deps.config.BSS_LLM_TOOL_CALL_BUDGET,
        guard,
        signal: input.signal,
      })
    ) {
      if (event.type === "tool_started") yield { type: "tool", name: event.name };
      else if (event.type === "text" && !tripped) {
        const shown = filter.push(event.delta);
        if (shown) yield { type: "text", delta: shown };
      } else if (event.type === "done") result = event.result;
    }
    if (!result) throw new Error("chat turn ended without a result");
    await this.caps.record(
      input.customerId,
      input.ip,
      costCents(this.deps.config.BSS_LLM_MODEL, result.usage),
    ).catch((e) => log.warn("chat usage not recorded", { error: String(e) }));
    yield done(outcomeOf(result, tripped));
  }

  /**
   * Runs a proposed destructive action for the customer, after the portal's step-up: the
   * same wrapper, bound to the same customer, exactly as proposed.
   */
  async confirm(customerId: string, proposal: Proposal): Promise<unknown> {
    const tool = toolNamed(proposal.tool);
    if (!tool || !tool.profiles.includes("customer_self_serve")) {
      return { error: "NOT_FOUND", detail: `no self-serve tool ${proposal.tool}` };
    }
    const ledger = new TurnLedger(1, new AbortController());
    return await runAgentCall(tool, proposal.args, crypto.randomUUID(), {
      ctx: this.ctx,
      caller: this.caller(customerId),
      gate: new Gate(true, "granular"),
      ledger,
      guard: ownershipGuard(customerId, (trip) => this.#reportTrip(trip, "(confirm)")),
    });
  }

  /** Logs a trip and notes it on the customer, best effort. */
  #reportTrip(trip: OwnershipTrip, prompt: string): void {
    log.warn("agent.ownership_violation", { ...trip });
    const tool = toolNamed("interaction.log");
    if (!tool) return;
    const body = JSON.stringify({ ...trip, prompt: prompt.slice(0, 1000) });
    withCaller(
      this.caller(trip.expected),
      () =>
        callTool(tool, {
          customer_id: trip.expected,
          summary: `chat ownership trip-wire: ${trip.tool}`,
          body,
        }, this.ctx),
    ).catch(() => {});
  }
}

/** The customer-facing outcome of a turn. */
function outcomeOf(result: TurnResult, tripped: boolean): ChatOutcome {
  const toolsCalled = result.calls.map((c) => c.name);
  const opened = result.calls.find((c) => c.name === "case.open_for_me" && !c.failed);
  const caseId = (opened?.result as { id?: string } | undefined)?.id;
  if (tripped) return { reply: CHAT_ERROR, toolsCalled, tripped, error: result.error };
  if (result.error) return { reply: CHAT_ERROR, toolsCalled, error: result.error, caseId };
  const reply = hygienicReply(result.reply, result.calls.length) || "(no reply)";
  return { reply, toolsCalled, proposal: result.proposal, caseId };
}
