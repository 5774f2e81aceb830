/**
 * The messages of the simulator's actors. The created event's payload is validated once,
 * where the binding turns it into a message; the actors parse their messages again, so a
 * malformed one dead-letters instead of writing.
 *
 * @module
 */
import { z } from "zod";

const Text = z.string().min(1);

/** The payload of `provisioning.task.created` (docs/flows.md §5.1), unknown keys ignored. */
export const TaskCreated = z.object({
  serviceId: Text,
  serviceOrderId: Text,
  commercialOrderId: Text,
  taskType: Text,
  /** msisdn, iccid, imsi, activationCode, customerId, offeringId: kept as given. */
  payload: z.record(z.string(), z.unknown()).default({}),
});
/** A created event's payload. */
export type TaskCreated = z.infer<typeof TaskCreated>;

/** To the intake: a task was requested; allocate its id and create it. */
export const RequestTask = TaskCreated.extend({ type: z.literal("request") });
/** The `RequestTask` message. */
export type RequestTask = z.infer<typeof RequestTask>;

/**
 * Create the task (the actor's key is its new id) and start its first run. Intakes now create
 * their tasks in their own turn; this is still handled for messages sent before they did.
 */
export const CreateTask = TaskCreated.extend({ type: z.literal("create") });
/** The `CreateTask` message. */
export type CreateTask = z.infer<typeof CreateTask>;

/** The simulated work of attempt `attempt` is done. */
export const FinishAttempt = z.object({
  type: z.literal("finish"),
  attempt: z.number().int().min(1),
});

/** The operator resolves a stuck task with a note (checked by policy, not by schema). */
export const ResolveTask = z.object({ type: z.literal("resolve"), note: z.string() });

/** The operator retries a failed task. */
export const RetryTask = z.object({ type: z.literal("retry") });

/** Every message the task actor handles. */
export const TaskMessage = z.discriminatedUnion("type", [
  CreateTask,
  FinishAttempt,
  ResolveTask,
  RetryTask,
]);
/** A task actor message. */
export type TaskMessage = z.infer<typeof TaskMessage>;
