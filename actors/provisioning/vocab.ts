/**
 * The provisioning simulator's vocabulary (docs/domain.md §1, §3; 02 §1.4): task states, fault
 * types, and how long each task type's simulated work takes.
 *
 * @module
 */

/** Task states: `pending → running → completed | failed`, `pending → stuck`. */
export const TASK_STATES = ["pending", "running", "completed", "failed", "stuck"] as const;
/** A task state. */
export type TaskState = (typeof TASK_STATES)[number];

/**
 * Fault types: `fail_first_attempt` is one-shot (attempt 1 of a run fails, the automatic
 * retry runs normally), `fail_always` persistent (every attempt fails), `stuck` parks the
 * task for an operator, `slow` multiplies the work time by 2–5.
 */
export const FAULT_TYPES = ["fail_first_attempt", "fail_always", "stuck", "slow"] as const;
/** A fault type. */
export type FaultType = (typeof FAULT_TYPES)[number];

/** The task type whose work also goes through the eSIM provider. */
export const ESIM_TASK_TYPE = "ESIM_PROFILE_PREPARE";

const DURATION_SECONDS: Readonly<Record<string, number>> = {
  HLR_PROVISION: 0.5,
  PCRF_POLICY_PUSH: 0.3,
  OCS_BALANCE_INIT: 0.2,
  ESIM_PROFILE_PREPARE: 0.4,
  HLR_DEPROVISION: 0.4,
};

/** The simulated work time of one attempt of `taskType` (other types: 0.5 s). */
export function durationSeconds(taskType: string): number {
  return DURATION_SECONDS[taskType] ?? 0.5;
}
