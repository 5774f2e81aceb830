/**
 * The intake (kind `provisioning_intake`, key = the service the task is for): where the
 * `provisioning.task.created` binding delivers. A binding cannot allocate ids, so the intake
 * does: it takes the next `PTK-` id and asks that new task actor to create itself.
 *
 * @module
 */
import { nextId } from "../../kernel/ids.ts";
import type { ActorKind } from "../runtime/types.ts";
import { RequestTask } from "./messages.ts";
import { TASK_KIND } from "./run.ts";

/** The intake kind's name. */
export const INTAKE_KIND = "provisioning_intake";

/** The intake kind. */
export const intakeKind: ActorKind<RequestTask> = {
  kind: INTAKE_KIND,
  service: "provisioning-sim",
  parse: (body) => RequestTask.parse(body),
  async handle(turn, { type: _, ...request }) {
    const taskId = await nextId(turn.sql, "PTK");
    turn.tell(TASK_KIND, taskId, { ...request, type: "create" });
    return { taskId };
  },
};
