/**
 * One run of a task, from `pending` (docs/flows.md §1.4, 01 §3): the fault rule is rolled once;
 * `stuck` parks the task for an operator; otherwise up to `max_attempts` attempts, each
 * `running` for its simulated work time (a wall-clock delayed `finish` to the task itself, so
 * work completes while scenarios freeze the BSS clock; with no work time, in the same turn). An injected failure fails its attempt
 * at once; a failed attempt below the limit is retried at once (no backoff); the last one
 * fails the task for good. Only the final outcome is published.
 *
 * @module
 */
import type { Turn } from "../runtime/types.ts";
import { emitOutcome } from "./events.ts";
import { failsByFault, type FiredFault, rollFault, workDelayMs } from "./faults.ts";
import type { ResolvedOptions } from "./options.ts";
import { moveTask, type TaskRow } from "./task_store.ts";
import { ESIM_TASK_TYPE } from "./vocab.ts";

/** The actor kind of tasks (its key is the task id). */
export const TASK_KIND = "provisioning_task";

/**
 * Starts a run of a `pending` task; returns the task as this turn leaves it. `finishNow`: a
 * first attempt with no work time ends in this turn.
 */
export async function startRun(
  turn: Turn,
  task: TaskRow,
  options: ResolvedOptions,
  finishNow = false,
  /** The run's fault, when the caller rolled it already (`rollFault`). */
  preRolled?: { fault: FiredFault | undefined },
): Promise<TaskRow> {
  const fault = preRolled
    ? preRolled.fault
    : await rollFault(turn.sql, task.task_type, options.random);
  const rolled = { ...task, fault_id: fault?.id ?? null, fault_type: fault?.faultType ?? null };
  if (fault?.faultType !== "stuck") return await attempt(turn, rolled, options, finishNow);
  const error = `Injected fault ${fault.id}: stuck`;
  const stuck = await moveTask(turn, rolled, "stuck", error, {
    last_error: error,
    started_at: turn.now(),
  });
  emitOutcome(turn, "stuck", stuck);
  return stuck;
}

/** Begins the next attempt: fails it at once when the run's fault says so, else works. */
async function attempt(
  turn: Turn,
  task: TaskRow,
  options: ResolvedOptions,
  finishNow = false,
): Promise<TaskRow> {
  const n = task.attempts + 1;
  const reason = `Attempt ${n} of ${task.max_attempts}`;
  const change = {
    attempts: n,
    started_at: task.state === "pending" ? turn.now() : task.started_at,
  };
  const failing = failsByFault(task.fault_type, n);
  const delayMs = failing
    ? 0
    : workDelayMs(task.task_type, task.fault_type, options.delayScale, options.random);
  // No work time (delays scaled to 0) on a new task, and no provider to ask: the attempt ends
  // in this turn, one turn fewer per task, and both moves share one round trip. An operator's
  // resolve or retry still answers with the task `running`.
  if (!failing && finishNow && delayMs === 0 && task.task_type !== ESIM_TASK_TYPE) {
    const running: TaskRow = { ...task, ...change, state: "running" };
    const [, done] = await Promise.all([
      moveTask(turn, task, "running", reason, change),
      complete(turn, running, n),
    ]);
    return done;
  }
  const running = await moveTask(turn, task, "running", reason, change);
  if (failing) {
    const error = `Injected fault ${running.fault_id}: ${running.fault_type} on attempt ${n}`;
    return await attemptFailed(turn, running, error, options);
  }
  if (finishNow && delayMs === 0) return await finishAttempt(turn, running, n, options);
  turn.tell(TASK_KIND, task.id, { type: "finish", attempt: n }, { delayMs });
  return running;
}

/** Records a failed attempt; retries at once below the limit, else fails the task for good. */
async function attemptFailed(
  turn: Turn,
  task: TaskRow,
  error: string,
  options: ResolvedOptions,
): Promise<TaskRow> {
  const last = task.attempts >= task.max_attempts;
  const reason = last ? `${error} (permanent after ${task.attempts} attempts)` : error;
  const failed = await moveTask(turn, task, "failed", reason, { last_error: error });
  if (!last) return await attempt(turn, failed, options);
  emitOutcome(turn, "failed", failed);
  return failed;
}

/**
 * The end of attempt `n`'s work: the eSIM provider's verdict for a profile preparation, then
 * `completed`. A `finish` that is not for the task's current running attempt changes nothing,
 * so an outcome can never be reached, or published, twice.
 */
export async function finishAttempt(
  turn: Turn,
  task: TaskRow,
  n: number,
  options: ResolvedOptions,
): Promise<TaskRow> {
  if (task.state !== "running" || task.attempts !== n) return task;
  if (task.task_type === ESIM_TASK_TYPE) {
    const verdict = await options.esimProvider({
      taskId: task.id,
      serviceId: task.service_id,
      payload: task.payload,
    });
    if (!verdict.approved) {
      return await attemptFailed(turn, task, `eSIM provider declined: ${verdict.reason}`, options);
    }
  }
  return await complete(turn, task, n);
}

/** Completes running attempt `n`, with its outcome event. */
async function complete(turn: Turn, task: TaskRow, n: number): Promise<TaskRow> {
  const done = await moveTask(turn, task, "completed", `Completed on attempt ${n}`, {
    completed_at: turn.now(),
  });
  emitOutcome(turn, "completed", done);
  return done;
}
