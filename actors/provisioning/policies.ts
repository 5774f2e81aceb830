/**
 * The simulator's write rules (docs/domain.md §4.3), each raising its exact rule code.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import { PolicyViolation } from "../../kernel/errors.ts";
import type { TaskRow } from "./task_store.ts";

/** `provisioning.resolve_stuck.requires_note`: a resolution says what the operator did. */
export function requireNote(task: TaskRow, note: string): string {
  const trimmed = note.trim();
  if (trimmed === "") {
    throw new PolicyViolation(
      "provisioning.resolve_stuck.requires_note",
      `resolving task ${task.id} needs a note`,
      { task_id: task.id },
    );
  }
  return trimmed;
}

/** `provisioning_task.resolve.requires_stuck_state`: only a stuck task is resolved. */
export function requireStuck(task: TaskRow): void {
  if (task.state !== "stuck") {
    throw new PolicyViolation(
      "provisioning_task.resolve.requires_stuck_state",
      `task ${task.id} is ${task.state}, not stuck`,
      { task_id: task.id, state: task.state },
    );
  }
}

/** `provisioning_task.retry.requires_failed_state`: only a failed task is retried. */
export function requireFailed(task: TaskRow): void {
  if (task.state !== "failed") {
    throw new PolicyViolation(
      "provisioning_task.retry.requires_failed_state",
      `task ${task.id} is ${task.state}, not failed`,
      { task_id: task.id, state: task.state },
    );
  }
}

/**
 * `provisioning.set_fault_injection.one_enabled_per_task_type`: a task type has at most one
 * enabled rule (docs/domain.md §5), so the rule a run rolls is never ambiguous.
 */
export async function requireNoOtherEnabled(
  sql: Sql,
  rule: { id: string; task_type: string },
): Promise<void> {
  const [other] = await sql<{ id: string }[]>`
    select id from provisioning.fault_injection
    where task_type = ${rule.task_type} and enabled and id <> ${rule.id}`;
  if (other) {
    throw new PolicyViolation(
      "provisioning.set_fault_injection.one_enabled_per_task_type",
      `${other.id} is already enabled for ${rule.task_type}; disable it first`,
      { fault_id: rule.id, task_type: rule.task_type, enabled_fault_id: other.id },
    );
  }
}
