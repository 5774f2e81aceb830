/**
 * Provisioning reference data (docs/domain.md §5), insert-if-absent: the fault-injection rules,
 * all disabled.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import type { FaultType } from "./vocab.ts";

/** The seeded rules: id, task type, fault type, probability. */
export const FAULT_RULES: ReadonlyArray<
  { id: string; task_type: string; fault_type: FaultType; probability: number }
> = [
  {
    id: "FI_HLR_PROV_FAIL",
    task_type: "HLR_PROVISION",
    fault_type: "fail_first_attempt",
    probability: 0.3,
  },
  { id: "FI_HLR_PROV_STUCK", task_type: "HLR_PROVISION", fault_type: "stuck", probability: 0.05 },
  { id: "FI_PCRF_SLOW", task_type: "PCRF_POLICY_PUSH", fault_type: "slow", probability: 0.2 },
  {
    id: "FI_OCS_FAIL",
    task_type: "OCS_BALANCE_INIT",
    fault_type: "fail_first_attempt",
    probability: 0.1,
  },
  {
    id: "FI_ESIM_FAIL",
    task_type: "ESIM_PROFILE_PREPARE",
    fault_type: "fail_first_attempt",
    probability: 0.15,
  },
  {
    id: "FI_HLR_DEPROV_STUCK",
    task_type: "HLR_DEPROVISION",
    fault_type: "stuck",
    probability: 0.05,
  },
];

/** Seeds the fault rules (existing rows, and an operator's changes to them, are kept). */
export async function seedReferenceData(sql: Sql): Promise<void> {
  await sql`insert into provisioning.fault_injection ${
    sql(FAULT_RULES.map((r) => ({ ...r, enabled: false })))
  } on conflict (id) do nothing`;
}
