/**
 * The task actor (kind `provisioning_task`, service `provisioning-sim`, key = task id):
 * spawned by the intake (which runs {@link createTask} in its own turn), it runs its simulated
 * work through delayed `finish` messages to itself, and takes the operator's resolve and retry.
 * It still handles `create`, which intakes sent before they spawned tasks themselves (such a
 * message may be in flight across an upgrade). Replies are the task's wire form.
 *
 * @module
 */
import { NotFound } from "../../kernel/errors.ts";
import type { ActorKind, Turn } from "../runtime/types.ts";
import { type TaskCreated, TaskMessage } from "./messages.ts";
import { type ProvisioningOptions, type ResolvedOptions, resolveOptions } from "./options.ts";
import { resolveStuck, retryFailed } from "./operator.ts";
import { getTask, taskView } from "./queries.ts";
import { rollFault } from "./faults.ts";
import { finishAttempt, startRun, TASK_KIND } from "./run.ts";
import { insertTask, lockTask, type TaskRow } from "./task_store.ts";

/**
 * Creates the task `turn.key` as `pending` and starts its first run: the task actor's `create`
 * turn, or the intake's turn that spawns the task.
 */
export async function createTask(
  turn: Turn,
  m: TaskCreated,
  options: ResolvedOptions,
): Promise<TaskRow> {
  // The insert and the run's fault roll go out together (one round trip).
  const [task, fault] = await Promise.all([
    insertTask(turn, {
      id: turn.key,
      service_id: m.serviceId,
      service_order_id: m.serviceOrderId,
      commercial_order_id: m.commercialOrderId,
      task_type: m.taskType,
      payload: m.payload,
    }, `Requested for service order ${m.serviceOrderId}`),
    rollFault(turn.sql, m.taskType, options.random),
  ]);
  return await startRun(turn, task, options, true, { fault });
}

/** The actor's own task, locked; a task that was never created → 404. */
async function requireTask(turn: Turn): Promise<TaskRow> {
  const task = await lockTask(turn.sql, turn.key);
  if (!task) throw new NotFound("ProvisioningTask", turn.key);
  return task;
}

/** The task kind with `options` (defaults: see {@link ProvisioningOptions}). */
export function taskKind(options: ProvisioningOptions = {}): ActorKind<TaskMessage> {
  const resolved = resolveOptions(options);
  return {
    kind: TASK_KIND,
    service: "provisioning-sim",
    parse: (body) => TaskMessage.parse(body),
    async handle(turn, m) {
      if (m.type === "create") return taskView(await createTask(turn, m, resolved));
      const task = await requireTask(turn);
      switch (m.type) {
        case "finish":
          return taskView(await finishAttempt(turn, task, m.attempt, resolved));
        case "resolve":
          return taskView(await resolveStuck(turn, task, m.note, resolved));
        case "retry":
          return taskView(await retryFailed(turn, task, resolved));
      }
    },
    state: (sql, key) => getTask(sql, key).then((t) => t ?? null),
  };
}
