/**
 * Ticket SLA (docs/domain.md §1 `crm.sla_policy`, docs/decisions.md): a ticket is due its policy's
 * target resolution time after it opened, looked up by ticket type and priority.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";

/**
 * When a ticket of `type` and `priority` opened at `openedAt` is due: by the tenant's own
 * policy, else the `DEFAULT` tenant's (the seeded matrix); null without either.
 */
export async function slaDueAt(
  sql: Sql,
  ticket: { type: string; priority: string; openedAt: Date; tenant: string },
): Promise<Date | null> {
  const [policy] = await sql`select target_resolution_minutes as minutes from crm.sla_policy
    where ticket_type = ${ticket.type} and priority = ${ticket.priority}
      and tenant_id in (${ticket.tenant}, 'DEFAULT')
    order by tenant_id = ${ticket.tenant} desc limit 1`;
  if (!policy) return null;
  return new Date(ticket.openedAt.getTime() + Number(policy.minutes) * 60_000);
}
