/**
 * The fault-injection rules (docs/http.md §9.5): list them, change one (`enabled`, `probability`,
 * `faultType`). Rules are reference data: the change records no domain event.
 *
 * @module
 */
import type { Pool, Sql } from "../../kernel/db/types.ts";
import { NotFound } from "../../kernel/errors.ts";
import { requireNoOtherEnabled } from "./policies.ts";
import type { FaultType } from "./vocab.ts";

/** A rule as the API shows it. */
export interface FaultInjectionView {
  "@type": "FaultInjection";
  id: string;
  taskType: string;
  faultType: FaultType;
  probability: number;
  enabled: boolean;
}

/** A change to a rule; absent fields stay. */
export interface FaultChange {
  enabled?: boolean;
  /** 0–1, kept to two decimals. */
  probability?: number;
  faultType?: FaultType;
}

interface FaultRow {
  id: string;
  task_type: string;
  fault_type: FaultType;
  probability: string;
  enabled: boolean;
}

const view = (r: FaultRow): FaultInjectionView => ({
  "@type": "FaultInjection",
  id: r.id,
  taskType: r.task_type,
  faultType: r.fault_type,
  probability: Number(r.probability),
  enabled: r.enabled,
});

/** Every rule, by task type. */
export async function listFaults(sql: Sql): Promise<FaultInjectionView[]> {
  const rows = await sql<FaultRow[]>`
    select id, task_type, fault_type, probability, enabled from provisioning.fault_injection
    order by task_type, id`;
  return rows.map(view);
}

/** Changes rule `id`; unknown → 404. Enabling needs every other rule of its type disabled. */
export function updateFault(sql: Pool, id: string, change: FaultChange) {
  return sql.begin(async (tx) => {
    // The rules of one type are locked together, so two enables of the same type serialise.
    const rows = await tx<FaultRow[]>`
      select id, task_type, fault_type, probability, enabled from provisioning.fault_injection
      where task_type = (select task_type from provisioning.fault_injection where id = ${id})
      order by id for update`;
    const rule = rows.find((r) => r.id === id);
    if (!rule) throw new NotFound("FaultInjection", id);
    if (change.enabled) await requireNoOtherEnabled(tx, rule);
    const [row] = await tx<FaultRow[]>`
      update provisioning.fault_injection set
        enabled = ${change.enabled ?? rule.enabled},
        probability = ${change.probability ?? rule.probability},
        fault_type = ${change.faultType ?? rule.fault_type},
        updated_at = kernel.bss_now()
      where id = ${id}
      returning id, task_type, fault_type, probability, enabled`;
    return view(row);
  });
}
