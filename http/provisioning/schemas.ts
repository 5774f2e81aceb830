/**
 * The provisioning simulator's wire models (docs/http.md §9.5): Task, its state history, and
 * FaultInjection.
 *
 * @module
 */
import { z } from "zod";
import { FAULT_TYPES, TASK_STATES } from "../../actors/provisioning/vocab.ts";

const Timestamp = z.iso.datetime({ offset: true });

/** A provisioning task (`serviceOrderId` and `commercialOrderId` beside the spec's fields). */
export const Task = z.object({
  "@type": z.literal("ProvisioningTask"),
  id: z.string(),
  href: z.string(),
  serviceId: z.string(),
  serviceOrderId: z.string(),
  commercialOrderId: z.string(),
  taskType: z.string(),
  state: z.enum(TASK_STATES),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  payload: z.record(z.string(), z.unknown()),
  lastError: z.string().nullable(),
  startedAt: Timestamp.nullable(),
  completedAt: Timestamp.nullable(),
});

/** One state move of a task, with who made it and why. */
export const TaskMove = z.object({
  fromState: z.enum(TASK_STATES).nullable(),
  toState: z.enum(TASK_STATES),
  attempts: z.number().int(),
  changedBy: z.string(),
  reason: z.string(),
  eventTime: Timestamp,
});

/** A fault-injection rule. */
export const FaultInjection = z.object({
  "@type": z.literal("FaultInjection"),
  id: z.string(),
  taskType: z.string(),
  faultType: z.enum(FAULT_TYPES),
  probability: z.number(),
  enabled: z.boolean(),
});
