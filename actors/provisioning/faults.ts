/**
 * Fault injection as a run of a task sees it: which enabled rule fires (rolled once per run
 * against its probability), whether an attempt fails because of it, and how long an attempt's
 * simulated work takes.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import { durationSeconds, type FaultType } from "./vocab.ts";

/** A fault rule that fired for a run. */
export interface FiredFault {
  id: string;
  faultType: FaultType;
}

/**
 * Rolls the enabled rule of `taskType` (there is at most one) against its probability:
 * the rule when it fires, else undefined.
 */
export async function rollFault(
  sql: Sql,
  taskType: string,
  random: () => number,
): Promise<FiredFault | undefined> {
  const [rule] = await sql<{ id: string; fault_type: FaultType; probability: string }[]>`
    select id, fault_type, probability from provisioning.fault_injection
    where task_type = ${taskType} and enabled order by id limit 1`;
  if (!rule || !(random() < Number(rule.probability))) return undefined;
  return { id: rule.id, faultType: rule.fault_type };
}

/** Whether attempt `attempt` (1-based) of a run fails at once because of `fault`. */
export function failsByFault(fault: FaultType | null, attempt: number): boolean {
  return fault === "fail_always" || (fault === "fail_first_attempt" && attempt === 1);
}

/**
 * Wall-clock ms of one attempt's work: the type's duration, × uniform(2, 5) when `slow`
 * fired, × `scale` (0 = instant).
 */
export function workDelayMs(
  taskType: string,
  fault: FaultType | null,
  scale: number,
  random: () => number,
): number {
  const slowdown = fault === "slow" ? 2 + 3 * random() : 1;
  return Math.round(durationSeconds(taskType) * slowdown * scale * 1000);
}
