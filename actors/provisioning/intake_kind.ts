/**
 * The intake (kind `provisioning_intake`, key = the service the task is for): where the
 * `provisioning.task.created` binding delivers. A binding cannot allocate ids, so the intake
 * does: it takes the next `PTK-` id and spawns that task actor in its own turn.
 *
 * Spawning: the intake's turn runs the task's creation ({@link createTask}: the `pending` row,
 * its history, the first run) as the new task actor — a turn addressed to `provisioning_task`
 * with the new id that shares the intake's transaction, clock, caller, outgoing messages and
 * events. The single writer still holds, as nobody else knows the id before this turn commits.
 * It saves the hop to a `create` turn (about 10 ms on every order's path) and a turn per task.
 *
 * @module
 */
import { nextId } from "../../kernel/ids.ts";
import type { ActorKind, Turn } from "../runtime/types.ts";
import { RequestTask } from "./messages.ts";
import { type ProvisioningOptions, resolveOptions } from "./options.ts";
import { TASK_KIND } from "./run.ts";
import { createTask } from "./task_kind.ts";

/** The intake kind's name. */
export const INTAKE_KIND = "provisioning_intake";

/** The turn of the new task actor `taskId`, inside the intake's `turn`. */
function spawnedTaskTurn(turn: Turn, taskId: string): Turn {
  return {
    ...turn,
    kind: TASK_KIND,
    key: taskId,
    // A brand-new actor has no timers, and the intake's are not its to withdraw.
    cancelTimers: () => Promise.resolve(),
  };
}

/** The intake kind with `options` (the spawned tasks' first runs use them). */
export function intakeKind(options: ProvisioningOptions = {}): ActorKind<RequestTask> {
  const resolved = resolveOptions(options);
  return {
    kind: INTAKE_KIND,
    service: "provisioning-sim",
    parse: (body) => RequestTask.parse(body),
    async handle(turn, request) {
      const taskId = await nextId(turn.sql, "PTK");
      await createTask(spawnedTaskTurn(turn, taskId), request, resolved);
      return { taskId };
    },
  };
}
