/**
 * What an operator does to a task (docs/flows.md §1.4, docs/decisions.md): resolve a stuck one with a
 * note, retry a failed one. Both act on the same task: back to `pending` with its attempts
 * reset, then a new run (faults still apply), whose outcome is published as usual so the
 * service order and the order complete afterwards.
 *
 * @module
 */
import type { Turn } from "../runtime/types.ts";
import type { ResolvedOptions } from "./options.ts";
import { requireFailed, requireNote, requireStuck } from "./policies.ts";
import { startRun } from "./run.ts";
import { moveTask, type TaskRow } from "./task_store.ts";

/** Resolves a stuck task: `pending`, attempts 0, `last_error` records the note; re-runs. */
export async function resolveStuck(
  turn: Turn,
  task: TaskRow,
  note: string,
  options: ResolvedOptions,
): Promise<TaskRow> {
  const text = requireNote(task, note);
  requireStuck(task);
  const reason = `Resolved by operator: ${text}`;
  const pending = await moveTask(turn, task, "pending", reason, {
    attempts: 0,
    last_error: reason,
  });
  return await startRun(turn, pending, options);
}

/** Retries a failed task: `pending` with its attempts reset; re-runs. */
export async function retryFailed(
  turn: Turn,
  task: TaskRow,
  options: ResolvedOptions,
): Promise<TaskRow> {
  requireFailed(task);
  const pending = await moveTask(turn, task, "pending", "Retried by operator", { attempts: 0 });
  return await startRun(turn, pending, options);
}
