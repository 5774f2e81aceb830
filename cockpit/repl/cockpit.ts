/**
 * The operator cockpit's core, without the terminal: one session of the conversation store,
 * and what each typed line does — a slash command (slash.ts), a list intent (no model), or
 * an agent turn over the `operator_cockpit` tools, attributed to `llm-<model>` on channel
 * `llm` with the operator cockpit's token. A destructive call the agent makes is staged as
 * the session's pending action; only `/confirm` runs it, any other line discards it.
 *
 * @module
 */
import { context, trace } from "@opentelemetry/api";
import type { Config } from "../../kernel/config.ts";
import { type CallerContext, localCaller, withCaller } from "../../kernel/context.ts";
import type { Sql } from "../../kernel/db/types.ts";
import { callTool } from "../../tools/call.ts";
import { toolContext } from "../../tools/context.ts";
import { toolNamed, toolsFor } from "../../tools/registry.ts";
import type { ToolContext } from "../../tools/tool.ts";
import { renderToolResult, SHOWN_AS } from "../render/dispatch.ts";
import { bssNow, cardOf } from "../bss/cards.ts";
import { runAgentCall } from "../agent/agent_tools.ts";
import { guardCitations } from "../agent/citation.ts";
import { type Autonomy, Gate, type Proposal } from "../agent/gate.ts";
import { hygienicReply } from "../agent/hygiene.ts";
import { type CallRecord, isFailure, TurnLedger } from "../agent/ledger.ts";
import { chatModel, llmActor, NO_MODEL } from "../agent/model.ts";
import { argsSummary, cockpitPrompt, planLines } from "../agent/prompts.ts";
import { ConversationStore, type Session } from "../agent/store.ts";
import { StreamFilter } from "../agent/stream_filter.ts";
import { historyFor } from "../agent/transcript.ts";
import { runTurn } from "../agent/turn.ts";
import { HumanMessage } from "@langchain/core/messages";
import { interceptOf } from "./intercepts.ts";
import { type Io, styled } from "./io.ts";
import type { OperatorFiles } from "./operator_files.ts";
import { runSlash } from "./slash.ts";

const tracer = trace.getTracer("bss.cockpit");

/** How much of a tool result is kept in the conversation store. */
const STORED_RESULT_CHARS = 4000;

/** What the cockpit runs with. */
export interface CockpitDeps {
  config: Config;
  sql: Sql;
  io: Io;
  files: OperatorFiles;
  /** `--allow-destructive`: the agent's destructive calls run without a proposal. */
  allowDestructive?: boolean;
  /** Default: clients with the `operator_cockpit` token. */
  ctx?: ToolContext;
  /** Writes this process's finished spans, so `/trace` finds the latest turn's. */
  flushSpans?: () => Promise<void>;
}

/** Where a session starts. */
export interface SessionStart {
  /** `--session SES-…`: resume it. */
  sessionId?: string;
  /** `--new`: a fresh session (with `label`). */
  fresh?: boolean;
  label?: string;
}

/** What a line did: `exit` ends the REPL. */
export type Outcome = "exit" | undefined;

/** The cockpit of one operator. */
export class Cockpit {
  /** The operator (the store's session owner). */
  static readonly ACTOR = "operator";
  readonly store: ConversationStore;
  readonly ctx: ToolContext;
  session!: Session;
  /** `/autonomy` for this run; else settings.toml, else BSS_REPL_LLM_AUTONOMY. */
  autonomyOverride?: Autonomy;
  /** The trace of the latest agent turn (for `/trace`). */
  lastTraceId?: string;

  constructor(readonly deps: CockpitDeps) {
    this.store = new ConversationStore(deps.sql);
    this.ctx = deps.ctx ?? toolContext(deps.config, "cockpit", "operator_cockpit");
  }

  get io(): Io {
    return this.deps.io;
  }

  /** Opens the session `start` names; the default resumes the latest active one. */
  async start(start: SessionStart = {}): Promise<void> {
    if (start.sessionId) {
      const found = await this.store.resume(start.sessionId);
      if (!found) throw new Error(`session ${start.sessionId} not found`);
      this.session = found;
      return;
    }
    const latest = start.fresh ? null : await this.store.latest(Cockpit.ACTOR);
    this.session = latest ?? await this.store.open(Cockpit.ACTOR, start.label);
  }

  /** The model named in settings.toml, else BSS_LLM_MODEL. */
  modelName(): string {
    return this.deps.files.current().model ?? this.deps.config.BSS_LLM_MODEL;
  }

  autonomy(): Autonomy {
    return this.autonomyOverride ?? this.deps.files.current().autonomy ??
      this.deps.config.BSS_REPL_LLM_AUTONOMY;
  }

  /** The attribution of the agent's calls. */
  agentCaller(): CallerContext {
    return {
      ...localCaller(llmActor(this.modelName()), "llm"),
      serviceIdentity: "operator_cockpit",
    };
  }

  /** Handles one typed line; a session deleted elsewhere is replaced by a fresh one. */
  async handle(raw: string): Promise<Outcome> {
    try {
      return await this.#handle(raw.trim());
    } catch (e) {
      // 23503: a message or pending row whose session no longer exists.
      if ((e as { code?: string }).code !== "23503") throw e;
      this.io.busy(null);
      this.session = await this.store.open(Cockpit.ACTOR);
      this.io.print(
        `That session was deleted elsewhere: opened ${this.session.id}; type the line again.`,
      );
    }
  }

  async #handle(line: string): Promise<Outcome> {
    if (!line) return;
    if (line.split(/\s+/)[0] !== "/confirm") await this.#discardPending();
    if (line.startsWith("/")) return await runSlash(this, line);
    // A bare "help" (or "?") is what a newcomer types first: the slash help, not a model turn.
    if (/^(help|\?)$/i.test(line)) return await runSlash(this, "/help");
    const intercept = interceptOf(line, this.session.customerFocus);
    if (intercept) {
      await this.store.append(this.session.id, "user", line);
      if ("refusal" in intercept) this.io.print(intercept.refusal);
      else await this.showTool(intercept.tool, intercept.args, intercept.tool);
      return;
    }
    await this.agentTurn(line);
  }

  /** Any line but /confirm throws the staged action away, and says so. */
  async #discardPending(): Promise<void> {
    const dropped = await this.store.consume(this.session.id);
    if (dropped) {
      this.io.print(styled(
        this.io,
        `Discarded the pending ${dropped.tool}(${
          argsSummary(dropped.args)
        }): only /confirm runs it.`,
        "yellow",
      ));
    }
  }

  /** Calls a tool directly (as the operator): its result, or the error `callTool` answers. */
  async callAsOperator(name: string, args: Record<string, unknown>): Promise<unknown> {
    const tool = toolNamed(name);
    if (!tool) throw new Error(`no tool ${name}`);
    this.io.busy(`calling ${name}`);
    const result = await withCaller(this.#operator(), () => callTool(tool, args, this.ctx));
    this.io.busy(null);
    return result;
  }

  #operator(): CallerContext {
    return { ...localCaller(Cockpit.ACTOR, "cli"), serviceIdentity: "operator_cockpit" };
  }

  /** The BSS clock's now, read as the operator: the cards say "renews in N days" against it. */
  #now(): Promise<string | undefined> {
    return withCaller(this.#operator(), () => bssNow(this.ctx));
  }

  /**
   * Calls a tool directly (as the operator), prints its card with what `bss` shows beside it (an
   * order's service orders and tasks, a line's eSIM, "renews in"), stores it as `stored`.
   */
  async showTool(name: string, args: Record<string, unknown>, stored: string): Promise<unknown> {
    const result = await this.callAsOperator(name, args);
    const options = { width: this.io.width, color: this.io.color };
    const card = isFailure(result)
      ? null
      : await withCaller(this.#operator(), () => cardOf(name, result, this.ctx, options));
    if (card) this.io.print(card);
    else this.printResult(name, result);
    await this.storeTool(stored, result);
    return result;
  }

  /**
   * Prints a tool result as its card (a change that answers with a resource shows that
   * resource's card, as `bss` does); else in full (`full`, a command the operator typed) or as
   * one line (a call the agent made: the model sums it up).
   */
  printResult(name: string, result: unknown, full = true, now?: string): boolean {
    const json = JSON.stringify(result) ?? "null";
    const options = { width: this.io.width, color: this.io.color, now };
    const card = renderToolResult(SHOWN_AS[name] ?? name, json, options);
    if (card) this.io.print(card);
    else if (isFailure(result)) {
      // As the CLI says a refusal: the code, the rule if any, the detail.
      const e = result as { error: string; rule?: string; detail?: string };
      const said = [e.error, e.rule, e.detail].filter(Boolean).join("  ");
      this.io.print(styled(this.io, `ERROR ${name}: ${said}`, "red"));
    } else if (full) this.io.print(JSON.stringify(result, null, 2));
    else this.io.print(`  ↳ ${name}: ${json.length > 100 ? `${json.slice(0, 99)}…` : json}`);
    return card !== null;
  }

  async storeTool(name: string, result: unknown): Promise<void> {
    const text = JSON.stringify(result) ?? "null";
    await this.store.append(this.session.id, "tool", text.slice(0, STORED_RESULT_CHARS), {
      tool_name: name,
    });
  }

  /** One agent turn on `line`; `gateOpen` authorises destructive calls (batched /confirm). */
  async agentTurn(line: string, options: { gateOpen?: boolean; confirmed?: Proposal } = {}) {
    const { config } = this.deps;
    const settings = this.deps.files.current();
    if (this.deps.files.problem) this.io.print(styled(this.io, this.deps.files.problem, "yellow"));
    const model = await chatModel(config, this.modelName());
    if (!model) {
      this.io.print(NO_MODEL);
      return;
    }
    const history = historyFor(await this.store.messages(this.session.id));
    await this.store.append(this.session.id, "user", line);
    const open = options.gateOpen || this.deps.allowDestructive || false;
    await tracer.startActiveSpan("bss.ask", async (span) => {
      this.lastTraceId = span.spanContext().traceId;
      const otel = context.active();
      try {
        const filter = new StreamFilter();
        let streamed = false;
        // Read once for the cards of the turn's results.
        const now = await this.#now();
        const result = await runTurn({
          model,
          systemPrompt: cockpitPrompt({
            operatorMd: settings.operatorMd,
            plans: await planLines(this.ctx).catch(() => ""),
            focus: this.session.customerFocus,
            confirmed: options.confirmed,
            context: {
              session: this.session.id,
              model: this.modelName(),
              autonomy: this.autonomy(),
            },
          }),
          messages: [...history, new HumanMessage(line)],
          tools: toolsFor("operator_cockpit"),
          ctx: this.ctx,
          caller: this.agentCaller(),
          gate: new Gate(open, this.autonomy()),
          budget: config.BSS_LLM_TOOL_CALL_BUDGET,
          otel,
        }, (event) => {
          if (event.type === "tool_started") this.io.busy(`calling ${event.name}`);
          else if (event.type === "tool_completed") {
            this.io.busy(null);
            if (!event.call.blocked) {
              this.printResult(event.call.name, event.call.result, false, now);
            }
          } else if (event.type === "text") {
            const shown = filter.push(event.delta);
            if (shown) {
              if (!streamed) this.io.busy(null);
              streamed = true;
              this.io.write(shown);
            }
          }
        });
        this.io.busy(null);
        if (streamed) this.io.write("\n");
        for (const call of result.calls) await this.storeTool(call.name, call.result);
        await this.#finish(result.reply, result.calls, result.proposal, result.error, {
          streamed: streamed && !filter.diverged ? filter.shown : undefined,
        });
      } finally {
        span.end();
      }
    });
  }

  /** The turn's closing bubble: hygiene, guards, proposal or execution, persisted. */
  async #finish(
    raw: string,
    calls: CallRecord[],
    proposal: Proposal | undefined,
    error: string | undefined,
    shown: { streamed?: string },
  ): Promise<void> {
    const names = calls.map((c) => c.name);
    const record = calls.map((c) => ({ name: c.name, args: c.args, call_id: c.callId }));
    if (error) {
      const text = error.startsWith("agent_loop_bailout") ? error : `LLM error: ${error}`;
      this.io.print(styled(this.io, text, "red"));
      await this.store.append(this.session.id, "assistant", `(error: ${error})`, record);
      return;
    }
    let reply = guardCitations(hygienicReply(raw, calls.length), names);
    const executed = calls.filter((c) => c.destructive);
    if (proposal) {
      reply = `Proposed ${proposal.tool}(${
        argsSummary(proposal.args)
      }). Type /confirm to authorise.`;
    } else if (executed.length) {
      const last = executed.at(-1)!;
      const what = `${last.name}(${argsSummary(last.args)})`;
      reply = executed.length === 1
        ? `Executed ${what}.`
        : `Executed ${executed.length} destructive actions, last was ${what}.`;
    } else if (!reply) {
      reply = calls.length
        ? `(The model called ${[...new Set(names)].join(", ")} and said nothing; try again.)`
        : "(no reply)";
    }
    if (reply !== shown.streamed?.trim()) this.io.print(styled(this.io, reply, "cyan"));
    const id = await this.store.append(this.session.id, "assistant", reply, record);
    if (proposal) {
      await this.store.stage(this.session.id, proposal, id);
      this.io.print(styled(
        this.io,
        `Pending /confirm for ${proposal.tool} — type /confirm to authorise it.`,
        "yellow",
      ));
    }
  }

  /** `/confirm`: runs the staged call exactly as proposed, once. */
  async confirm(): Promise<void> {
    const pending = await this.store.consume(this.session.id);
    if (!pending) {
      this.io.print(styled(
        this.io,
        "Nothing is staged: there is no pending action to confirm (if the model said it " +
          "proposed one, it never called the tool).",
        "yellow",
      ));
      return;
    }
    this.io.print(`/confirm staged for ${pending.tool} args=${JSON.stringify(pending.args)}`);
    const tool = toolNamed(pending.tool);
    if (!tool) throw new Error(`no tool ${pending.tool}`);
    await this.store.append(this.session.id, "user", "/confirm");
    const call = await tracer.startActiveSpan("bss.ask", async (span) => {
      this.lastTraceId = span.spanContext().traceId;
      try {
        const ledger = new TurnLedger(1, new AbortController());
        await runAgentCall(tool, pending.args, crypto.randomUUID(), {
          ctx: this.ctx,
          caller: this.agentCaller(),
          gate: new Gate(true, "granular"),
          ledger,
        });
        return ledger.calls[0];
      } finally {
        span.end();
      }
    });
    this.printResult(call.name, call.result, true, await this.#now());
    await this.storeTool(call.name, call.result);
    const what = `${call.name}(${argsSummary(call.args)})`;
    const reply = call.failed
      ? `${what} failed: ${JSON.stringify(call.result)}`
      : `Executed ${what}.`;
    this.io.print(styled(this.io, reply, call.failed ? "red" : "cyan"));
    await this.store.append(this.session.id, "assistant", reply, [
      { name: call.name, args: call.args, call_id: call.callId },
    ]);
    // Batched: the confirmation covers the rest of the request; the agent carries on.
    if (!call.failed && this.autonomy() === "batched") {
      await this.agentTurn(
        `(The operator typed /confirm: ${what} ran. Carry on with the request.)`,
        { gateOpen: true, confirmed: pending },
      );
    }
  }
}
