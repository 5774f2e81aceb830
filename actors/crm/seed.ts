/**
 * CRM reference data (docs/domain.md §5, docs/decisions.md "Domain"), insert-if-absent: the agents and
 * the SLA matrix over every ticket type and priority.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import { PRIORITIES, type TicketType } from "./vocab.ts";

/** The seeded agents: id, name, role (email `<first>.<last>@bss-cli.local`). */
export const AGENTS: ReadonlyArray<{ id: string; name: string; role: string; email: string }> = [
  { id: "AGT-001", name: "Alice Tan", role: "csr", email: "alice.tan@bss-cli.local" },
  { id: "AGT-002", name: "Bob Lim", role: "csr", email: "bob.lim@bss-cli.local" },
  { id: "AGT-003", name: "Carol Ng", role: "supervisor", email: "carol.ng@bss-cli.local" },
  { id: "AGT-004", name: "Dave Koh", role: "engineer", email: "dave.koh@bss-cli.local" },
  { id: "AGT-SYS", name: "System", role: "system", email: "system@bss-cli.local" },
];

/**
 * Target resolution minutes per ticket type, for priorities low, medium, high, critical.
 * The reference's rows map onto the decided vocabulary (normal → medium, urgent → critical;
 * billing_dispute → billing_issue, configuration → configuration_change); the types the
 * reference seeded no row for take the row of their nearest kin.
 */
export const SLA_MINUTES: Readonly<Record<TicketType, readonly [number, number, number, number]>> =
  {
    service_outage: [480, 240, 60, 30],
    provisioning_exception: [480, 240, 60, 30],
    fraud_report: [480, 240, 60, 30],
    technical: [1440, 720, 240, 60],
    billing_issue: [2880, 1440, 480, 120],
    complaint: [2880, 1440, 480, 120],
    configuration_change: [2880, 1440, 720, 240],
    cancellation_request: [2880, 1440, 720, 240],
    information: [4320, 2880, 1440, 480],
  };

/** Seeds agents and SLA policies (existing rows are left as they are). */
export async function seedReferenceData(sql: Sql): Promise<void> {
  await sql`insert into crm.agent ${sql(AGENTS.map((a) => ({ ...a, status: "active" })))}
    on conflict do nothing`;
  const policies = Object.entries(SLA_MINUTES).flatMap(([type, minutes]) =>
    PRIORITIES.map((priority, i) => ({
      id: `SLA_${type}_${priority}`.toUpperCase(),
      ticket_type: type,
      priority,
      target_resolution_minutes: minutes[i],
    }))
  );
  await sql`insert into crm.sla_policy ${sql(policies)} on conflict do nothing`;
}
