/**
 * Running one validated scenario (spec 04 §9.3): setup (reset fan-out, then freeze), steps in
 * order stopping at the first failure, teardown always unless setup failed. Tools resolve
 * through the registry (scenario verbs included) and are called like an agent calls them.
 *
 * @module
 */
import { callTool } from "../../tools/call.ts";
import { toolNamed } from "../../tools/registry.ts";
import type { ToolContext } from "../../tools/tool.ts";
import { checkExpectations } from "./expect.ts";
import { selectJsonPath } from "./json_path.ts";
import type { Scenario } from "./schema.ts";
import { interpolate } from "./template.ts";

/** The outcome of one step. */
export interface StepOutcome {
  name: string;
  status: "PASS" | "FAIL" | "SKIP";
  detail: string;
}

/** The outcome of a scenario: passed when setup, every non-skipped step and teardown pass. */
export interface ScenarioOutcome {
  name: string;
  passed: boolean;
  steps: StepOutcome[];
  error?: string;
}

type Step = Scenario["steps"][number];

/** A tool result is a failure when it carries `error` (tools/call.ts never throws). */
function failureOf(result: unknown): Record<string, unknown> | undefined {
  return result !== null && typeof result === "object" && "error" in result
    ? result as Record<string, unknown>
    : undefined;
}

async function call(name: string, args: unknown, ctx: ToolContext): Promise<unknown> {
  const tool = toolNamed(name);
  if (!tool) throw new Error(`unknown tool: ${name}`);
  return await callTool(tool, args as Record<string, unknown>, ctx);
}

/** Calls `name` and throws its failure; used by setup and teardown. */
async function mustCall(name: string, args: unknown, ctx: ToolContext): Promise<void> {
  const failure = failureOf(await call(name, args, ctx));
  if (failure) throw new Error(`${name}: ${JSON.stringify(failure)}`);
}

/** The status a failed call had: 404 for NOT_FOUND, 409 for a policy violation. */
function statusOf(failure: Record<string, unknown>): number | undefined {
  if (typeof failure.status === "number") return failure.status;
  if (failure.error === "NOT_FOUND") return 404;
  if (failure.error === "POLICY_VIOLATION") return 409;
  if (failure.error === "VALIDATION_ERROR") return 422;
  return undefined;
}

async function runAction(
  step: Extract<Step, { action: string }>,
  vars: Record<string, unknown>,
  ctx: ToolContext,
): Promise<string> {
  const result = await call(step.action, interpolate(step.args, vars), ctx);
  const failure = failureOf(result);
  if (step.expect_error) {
    if (!failure) throw new Error("expected an error, the call succeeded");
    const { rule, status } = step.expect_error;
    if (rule !== undefined && failure.rule !== rule) {
      throw new Error(`expected rule ${rule}, got ${JSON.stringify(failure)}`);
    }
    if (status !== undefined && statusOf(failure) !== status) {
      throw new Error(`expected status ${status}, got ${JSON.stringify(failure)}`);
    }
    return `failed as expected: ${failure.rule ?? failure.error}`;
  }
  if (failure) throw new Error(JSON.stringify(failure));
  const captured: string[] = [];
  for (const [name, path] of Object.entries(step.capture ?? {})) {
    const value = selectJsonPath(result, path);
    if (value === undefined) throw new Error(`capture ${name}: ${path} matched nothing`);
    vars[name] = value;
    captured.push(`${name}=${String(value)}`.slice(0, 40));
  }
  return captured.join(" ");
}

async function runAssert(
  step: Extract<Step, { assert: unknown }>,
  vars: Record<string, unknown>,
  ctx: ToolContext,
): Promise<string> {
  const { tool, poll } = step.assert;
  const args = interpolate(step.assert.args, vars);
  const expect = interpolate(step.assert.expect, vars) as Record<string, unknown>;
  const deadline = Date.now() + (poll?.timeout_ms ?? 0);
  while (true) {
    const result = await call(tool, args, ctx);
    const failure = failureOf(result);
    const failures = failure ? [JSON.stringify(failure)] : checkExpectations(result, expect);
    if (failures.length === 0) return "";
    if (!poll || Date.now() >= deadline) throw new Error(failures.join("; "));
    await new Promise((r) => setTimeout(r, poll.interval_ms));
  }
}

/** Runs `scenario` against the services behind `ctx`; `report` receives each step's line. */
export async function runScenario(
  scenario: Scenario,
  ctx: ToolContext,
  report: (step: StepOutcome) => void = () => {},
): Promise<ScenarioOutcome> {
  const outcome: ScenarioOutcome = { name: scenario.name, passed: true, steps: [] };
  const runId = crypto.randomUUID().replaceAll("-", "").slice(0, 8);
  const vars: Record<string, unknown> = { run_id: runId };
  try {
    for (const [name, value] of Object.entries(scenario.variables)) {
      vars[name] = interpolate(value, vars);
    }
    if (scenario.setup.reset_operational_data) {
      await mustCall("admin.reset_operational_data", {}, ctx);
    }
    if (scenario.setup.freeze_clock_at !== undefined) {
      await mustCall(
        "clock.freeze",
        { at: interpolate(scenario.setup.freeze_clock_at, vars) },
        ctx,
      );
    }
  } catch (e) {
    return { ...outcome, passed: false, error: `setup: ${(e as Error).message}` };
  }
  for (const step of scenario.steps) {
    let line: StepOutcome;
    if ("ask" in step) {
      line = { name: step.name, status: "SKIP", detail: "ask steps are not run (no LLM)" };
    } else {
      try {
        const detail = "action" in step
          ? await runAction(step, vars, ctx)
          : await runAssert(step, vars, ctx);
        line = { name: step.name, status: "PASS", detail };
      } catch (e) {
        line = { name: step.name, status: "FAIL", detail: (e as Error).message };
      }
    }
    outcome.steps.push(line);
    report(line);
    if (line.status === "FAIL") {
      outcome.passed = false;
      break;
    }
  }
  if (scenario.teardown.unfreeze_clock) {
    try {
      await mustCall("clock.unfreeze", {}, ctx);
    } catch (e) {
      outcome.passed = false;
      outcome.error = `teardown: ${(e as Error).message}`;
    }
  }
  return outcome;
}
