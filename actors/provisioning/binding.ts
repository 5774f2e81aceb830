/**
 * The simulator's one event consumer (docs/flows.md §5.1): `provisioning.task.created` on queue
 * `provisioning-sim.task.created`, to the intake of the task's service. A payload that is not
 * a task request is poison: the bridge parks it.
 *
 * @module
 */
import type { Binding } from "../bridge/types.ts";
import { INTAKE_KIND } from "./intake_kind.ts";
import { TaskCreated } from "./messages.ts";

/** `provisioning.task.created` → the intake. */
export const taskCreatedBinding: Binding = {
  queue: "provisioning-sim.task.created",
  pattern: "provisioning.task.created",
  to(event) {
    const request = TaskCreated.parse(event.payload);
    return { kind: INTAKE_KIND, key: request.serviceId, message: { ...request, type: "request" } };
  },
};
