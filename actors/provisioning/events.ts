/**
 * The simulator's results as events (docs/flows.md §5.1): only a run's final outcome is published —
 * `provisioning.task.completed`, `.failed` (permanent) or `.stuck` — on aggregate
 * `provisioning_task`, carrying the service order and order the task works for.
 *
 * @module
 */
import type { Turn } from "../runtime/types.ts";
import type { TaskRow } from "./task_store.ts";

/** The outcomes that are published. */
export type Outcome = "completed" | "failed" | "stuck";

/** What every outcome event carries. */
function common(task: TaskRow) {
  return {
    taskId: task.id,
    serviceId: task.service_id,
    serviceOrderId: task.service_order_id,
    commercialOrderId: task.commercial_order_id,
    taskType: task.task_type,
    attempts: task.attempts,
    maxAttempts: task.max_attempts,
  };
}

const iso = (at: Date | null) => at?.toISOString() ?? null;

/** The outcome-specific part of the payload. */
function specific(outcome: Outcome, task: TaskRow): Record<string, unknown> {
  switch (outcome) {
    case "completed":
      return { completedAt: iso(task.completed_at) };
    case "failed":
      return { lastError: task.last_error, permanent: true };
    case "stuck":
      return { startedAt: iso(task.started_at) };
  }
}

/** Stages `provisioning.task.<outcome>` for `task` as it now is. */
export function emitOutcome(turn: Turn, outcome: Outcome, task: TaskRow): void {
  turn.emit({
    type: `provisioning.task.${outcome}`,
    aggregateType: "provisioning_task",
    aggregateId: task.id,
    payload: { ...common(task), ...specific(outcome, task) },
  });
}
