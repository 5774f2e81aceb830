/**
 * `ask` steps (docs/cockpit.md §9.3): one agent turn on the prompt, then its checks — tools that must
 * and must not have been called, no closing question unless `allow_clarification`, the
 * domain events the turn caused in `expect_event_sequence` order, and `expect_final_state`
 * probes (tool calls with expectations). Without an agent (no LLM configured) the step is
 * skipped, never passed.
 *
 * @module
 */
import type { Config } from "../../kernel/config.ts";
import type { ToolContext } from "../../tools/tool.ts";
import { askOnce } from "../agent/ask.ts";
import { hasModel } from "../agent/model.ts";
import { captureJsonPaths } from "./capture.ts";
import { type Agent, type AgentTurn, type StepDone, StepFailed } from "./env.ts";
import { checkExpectations } from "./expect.ts";
import type { Step } from "./schema.ts";
import { callNamed, failureOf } from "./step_tool.ts";
import { interpolate } from "./template.ts";

type AskStep = Extract<Step, { ask: string }>;

/** Whether `sequence` appears in `types` in order (other events may come between). */
function inOrder(types: readonly string[], sequence: readonly string[]): boolean {
  let next = 0;
  for (const type of types) if (type === sequence[next]) next++;
  return next === sequence.length;
}

/** The checks on the turn itself. */
export function turnFailures(step: AskStep, turn: AgentTurn): string[] {
  const failures: string[] = [];
  for (const name of step.expect_tools_called_include) {
    if (!turn.toolsCalled.includes(name)) failures.push(`${name} was not called`);
  }
  for (const name of step.expect_tools_not_called) {
    if (turn.toolsCalled.includes(name)) failures.push(`${name} was called`);
  }
  if (!step.allow_clarification && turn.reply.trim().endsWith("?")) {
    failures.push("the turn ended by asking a question (allow_clarification is false)");
  }
  return failures;
}

/** Event types written since `since` (BSS clock), oldest first. */
async function eventsSince(since: string, ctx: ToolContext): Promise<string[]> {
  const events = await callNamed("events.list", { since, limit: 500 }, ctx);
  if (failureOf(events)) throw new StepFailed(`events.list: ${JSON.stringify(events)}`);
  return (events as Array<{ eventType: string }>).map((e) => e.eventType);
}

/** The failures of the `expect_final_state` probes. */
async function finalStateFailures(
  probes: AskStep["expect_final_state"],
  ctx: ToolContext,
): Promise<string[]> {
  const failures: string[] = [];
  for (const [label, probe] of Object.entries(probes)) {
    const result = await callNamed(probe.tool, probe.args, ctx);
    const failure = failureOf(result);
    const found = failure ? [JSON.stringify(failure)] : checkExpectations(result, probe.expect);
    failures.push(...found.map((f) => `${label}: ${f}`));
  }
  return failures;
}

/**
 * The agent of `ask` steps when a model is configured (an endpoint or a fixture): one turn
 * with the default operator prompt, the gate closed, batched, LangGraph's step limit at 40.
 * The tools called are the calls that ran (held-back destructive ones are not). A bail or a
 * model error fails the step.
 */
export function scenarioAgent(config: Config, ctx: ToolContext): Agent | undefined {
  if (!hasModel(config)) return undefined;
  return async (prompt, timeoutMs) => {
    const asked = await askOnce(config, ctx, prompt, { recursionLimit: 40, timeoutMs });
    if (asked.error) throw new StepFailed(`the agent's turn failed: ${asked.error}`);
    return {
      toolsCalled: asked.calls.filter((c) => !c.blocked).map((c) => c.name),
      reply: asked.answer,
    };
  };
}

/** Runs an ask step with `agent`, or skips it when there is none. */
export async function runAsk(
  raw: AskStep,
  vars: Record<string, unknown>,
  ctx: ToolContext,
  agent: Agent | undefined,
): Promise<StepDone> {
  if (!agent) return { status: "SKIP", detail: "no LLM configured" };
  const step = { ...raw, ...interpolate(raw, vars) as AskStep };
  const clock = await callNamed("clock.now", {}, ctx) as { now: string };
  const turn = await agent(step.ask, step.timeout_seconds * 1000);
  const failures = turnFailures(step, turn);
  if (step.expect_event_sequence.length) {
    const types = await eventsSince(clock.now, ctx);
    if (!inOrder(types, step.expect_event_sequence)) {
      failures.push(`events ${types.join(",")} lack ${step.expect_event_sequence.join(" → ")}`);
    }
  }
  failures.push(...await finalStateFailures(step.expect_final_state, ctx));
  if (failures.length) throw new StepFailed(failures.join("; "));
  const notes = captureJsonPaths(
    { reply: turn.reply, tools: turn.toolsCalled },
    step.capture,
    vars,
  );
  return { status: "PASS", detail: [`tools: ${turn.toolsCalled.join(", ")}`, ...notes].join(" ") };
}
