/**
 * What `POST /admin-api/v1/reset-operational-data` clears per service (docs/flows.md §7.2, 03 §10):
 * every table of the service's schema except its reference data, the mailboxes of its actor
 * kinds, and, for CRM, the inventory pools put back to available. Catalog and rating have
 * no reset; audit rows and inbox tables are kept, and so are the ID sequences (IDs keep
 * counting) unless the reset is asked to restart them.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";

/** One schema of a reset: tables kept, and updates run after the truncation. */
export interface SchemaReset {
  schema: string;
  keep: readonly string[];
  /** Updates of kept tables; returns the names of the tables updated. */
  update?: (tx: Sql) => Promise<string[]>;
}

/** A service's reset. */
export interface ResetPlan {
  schemas: readonly SchemaReset[];
  /** Actor kinds whose mailboxes, timers and dead letters go with the data. */
  kinds: readonly string[];
  /** Prefixes of the sequential ids the service mints (`kernel.id_<prefix>`). */
  sequences: readonly string[];
}

async function freePools(tx: Sql): Promise<string[]> {
  await tx`update inventory.esim_profile set profile_state = 'available',
    assigned_msisdn = null, assigned_to_subscription_id = null, reserved_at = null,
    downloaded_at = null, activated_at = null`;
  await tx`update inventory.msisdn_pool set status = 'available', reserved_at = null,
    assigned_to_subscription_id = null, quarantine_until = null`;
  return ["msisdn_pool", "esim_profile"];
}

/** The reset of each service that has one. */
export const RESET_PLANS: Record<string, ResetPlan> = {
  crm: {
    schemas: [
      { schema: "crm", keep: ["agent", "sla_policy", "port_request"] },
      { schema: "inventory", keep: ["msisdn_pool", "esim_profile"], update: freePools },
    ],
    kinds: ["customer"],
    sequences: ["CUST", "CASE", "TKT"],
  },
  com: {
    schemas: [{ schema: "order_mgmt", keep: [] }],
    kinds: ["order"],
    sequences: ["ORD", "OI"],
  },
  som: {
    schemas: [{ schema: "service_inventory", keep: [] }],
    kinds: ["service_order"],
    sequences: ["SO", "SOI", "SVC"],
  },
  subscription: {
    schemas: [{ schema: "subscription", keep: [] }],
    kinds: ["subscription"],
    sequences: ["SUB"],
  },
  mediation: { schemas: [{ schema: "mediation", keep: [] }], kinds: [], sequences: ["UE"] },
  payment: { schemas: [{ schema: "payment", keep: [] }], kinds: [], sequences: ["PM", "PAY"] },
  "provisioning-sim": {
    schemas: [{ schema: "provisioning", keep: ["fault_injection"] }],
    kinds: ["provisioning_intake", "provisioning_task"],
    sequences: ["PTK"],
  },
};
