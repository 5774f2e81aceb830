/**
 * Running one validated scenario (docs/cockpit.md §9.3): variables, then setup (reset fan-out, then
 * clock freeze; a failure skips steps and teardown), steps in order stopping at the first
 * failure (a step that cannot run here skips itself and the rest), then teardown always (its
 * failure fails the run). Cookies carry from step to step. Each step is timed and reported as
 * it ends.
 *
 * @module
 */
import { CookieJar } from "./cookie_jar.ts";
import { type RunEnv, type StepDone, StepFailed, StepSkipped } from "./env.ts";
import { kindOf, type Scenario, type Step, type StepKind } from "./schema.ts";
import { runAsk } from "./step_ask.ts";
import { runFile } from "./step_file.ts";
import { runHttp } from "./step_http.ts";
import { callNamed, failureOf, runAction, runAssert } from "./step_tool.ts";
import { interpolate } from "./template.ts";

/** The outcome of one step. */
export interface StepOutcome {
  name: string;
  kind: StepKind;
  status: "PASS" | "FAIL" | "SKIP";
  /** Captures (`k=v`), tools called, or the first line of the failure. */
  detail: string;
  ms: number;
}

/** The outcome of a scenario: passed when setup, every run step and teardown passed. */
export interface ScenarioOutcome {
  name: string;
  passed: boolean;
  steps: StepOutcome[];
  /** A setup or teardown failure. */
  error?: string;
  ms: number;
}

/** Calls a setup or teardown verb; an error result fails the run. */
async function mustCall(name: string, args: unknown, env: RunEnv): Promise<void> {
  const failure = failureOf(await callNamed(name, args, env.tools));
  if (failure) throw new StepFailed(`${name}: ${JSON.stringify(failure)}`);
}

function runStep(
  step: Step,
  vars: Record<string, unknown>,
  env: RunEnv,
  jar: CookieJar,
): Promise<StepDone> {
  if ("action" in step) {
    const verb = env.verbs?.[step.action];
    return runAction(step, vars, env.tools, verb && ((args) => verb(args, jar)));
  }
  if ("assert" in step) return runAssert(step, vars, env.tools);
  if ("http" in step) return runHttp(step, vars, env.httpBaseUrl, jar, env.relocate);
  if ("file" in step) return runFile(step, vars);
  return runAsk(step, vars, env.tools, env.agent);
}

/** The message of a failure. */
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Runs `scenario`; `vars` seeds the template context (after `run_id`); `report` receives each
 * step's outcome as it ends.
 */
export async function runScenario(
  scenario: Scenario,
  env: RunEnv,
  report: (step: StepOutcome) => void = () => {},
  seed: Record<string, unknown> = {},
): Promise<ScenarioOutcome> {
  const started = performance.now();
  const outcome: ScenarioOutcome = { name: scenario.name, passed: true, steps: [], ms: 0 };
  const finish = () => ({ ...outcome, ms: Math.round(performance.now() - started) });
  const vars: Record<string, unknown> = {
    run_id: crypto.randomUUID().replaceAll("-", "").slice(0, 8),
    ...seed,
  };
  try {
    // Setup's variables first, then the top-level ones (which win); each sees those before it.
    for (const defined of [scenario.setup.variables, scenario.variables]) {
      for (const [name, value] of Object.entries(defined)) vars[name] = interpolate(value, vars);
    }
    const { setup } = scenario;
    if (setup.reset_operational_data) {
      await mustCall(
        "admin.reset_operational_data",
        { reset_sequences: setup.reset_sequences },
        env,
      );
    }
    if (setup.freeze_clock_at !== undefined) {
      await mustCall("clock.freeze", { at: interpolate(setup.freeze_clock_at, vars) }, env);
    }
  } catch (e) {
    outcome.passed = false;
    outcome.error = `setup: ${messageOf(e)}`;
    return finish();
  }
  const jar = new CookieJar();
  let skipping = "";
  for (const step of scenario.steps) {
    const t0 = performance.now();
    let done: StepDone | undefined = skipping ? { status: "SKIP", detail: skipping } : undefined;
    let failure = "";
    try {
      done ??= await runStep(step, vars, env, jar);
    } catch (e) {
      if (e instanceof StepSkipped) done = { status: "SKIP", detail: skipping = e.message };
      else failure = messageOf(e);
    }
    const line: StepOutcome = {
      name: step.name,
      kind: kindOf(step),
      status: done?.status ?? "FAIL",
      detail: done?.detail ?? failure,
      ms: Math.round(performance.now() - t0),
    };
    outcome.steps.push(line);
    report(line);
    if (line.status === "FAIL") {
      outcome.passed = false;
      break;
    }
  }
  if (scenario.teardown.unfreeze_clock) {
    try {
      await mustCall("clock.unfreeze", {}, env);
    } catch (e) {
      outcome.passed = false;
      outcome.error = `teardown: ${messageOf(e)}`;
    }
  }
  return finish();
}
