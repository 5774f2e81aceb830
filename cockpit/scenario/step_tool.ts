/**
 * `action` and `assert` steps (docs/cockpit.md §9.3): both call a tool through the registry (scenario
 * verbs included) the way an agent does, so a failure comes back as a result. An action
 * fails on an error result unless it carries `expect_error`; an assert checks its `expect`,
 * polling when asked.
 *
 * @module
 */
import { callTool } from "../../tools/call.ts";
import { toolNamed } from "../../tools/registry.ts";
import type { ToolContext } from "../../tools/tool.ts";
import { captureJsonPaths } from "./capture.ts";
import { type StepDone, StepFailed } from "./env.ts";
import { checkExpectations } from "./expect.ts";
import { poll } from "./poll.ts";
import type { Step } from "./schema.ts";
import { interpolate } from "./template.ts";

type ActionStep = Extract<Step, { action: string }>;
type AssertStep = Extract<Step, { assert: unknown }>;

/** The error result of a tool call (tools/call.ts never throws), if it failed. */
export function failureOf(result: unknown): Record<string, unknown> | undefined {
  return result !== null && typeof result === "object" && "error" in result
    ? result as Record<string, unknown>
    : undefined;
}

/** Calls tool `name` with `args`; an unknown name fails the step. */
export async function callNamed(name: string, args: unknown, ctx: ToolContext): Promise<unknown> {
  const tool = toolNamed(name);
  if (!tool) throw new StepFailed(`unknown tool: ${name}`);
  return await callTool(tool, args as Record<string, unknown>, ctx);
}

/** The HTTP status a failed call stands for. */
function statusOf(failure: Record<string, unknown>): number | undefined {
  if (typeof failure.status === "number") return failure.status;
  return { NOT_FOUND: 404, POLICY_VIOLATION: 422, VALIDATION_ERROR: 422 }[String(failure.error)];
}

/** Runs an action step (on `verb` when it names one, else a tool); captures go into `vars`. */
export async function runAction(
  step: ActionStep,
  vars: Record<string, unknown>,
  ctx: ToolContext,
  verb?: (args: Record<string, unknown>) => Promise<unknown>,
): Promise<StepDone> {
  const args = interpolate(step.args, vars) as Record<string, unknown>;
  const result = verb ? await verb(args) : await callNamed(step.action, args, ctx);
  const failure = failureOf(result);
  if (step.expect_error) {
    if (!failure) throw new StepFailed("expected an error, the call succeeded");
    const { rule, status } = step.expect_error;
    if (rule !== undefined && failure.rule !== rule) {
      throw new StepFailed(`expected rule ${rule}, got ${JSON.stringify(failure)}`);
    }
    if (status !== undefined && statusOf(failure) !== status) {
      throw new StepFailed(`expected status ${status}, got ${JSON.stringify(failure)}`);
    }
    return { status: "PASS", detail: `refused: ${failure.rule ?? failure.error}` };
  }
  if (failure) throw new StepFailed(JSON.stringify(failure));
  return { status: "PASS", detail: captureJsonPaths(result, step.capture, vars).join(" ") };
}

/** Runs an assert step. */
export async function runAssert(
  step: AssertStep,
  vars: Record<string, unknown>,
  ctx: ToolContext,
): Promise<StepDone> {
  const { tool } = step.assert;
  const args = interpolate(step.assert.args, vars);
  const expect = interpolate(step.assert.expect, vars) as Record<string, unknown>;
  const { failures } = await poll(step.assert.poll, async () => {
    const result = await callNamed(tool, args, ctx);
    const failure = failureOf(result);
    return {
      value: result,
      failures: failure ? [JSON.stringify(failure)] : checkExpectations(result, expect),
    };
  });
  if (failures.length) throw new StepFailed(failures.join("; "));
  return { status: "PASS", detail: "" };
}
