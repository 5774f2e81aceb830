/**
 * The trouble-ticket read model (docs/http.md §6.3, TMF621 TroubleTicket) with each ticket's state
 * history.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import { allOf, eq, type Fragment, iso } from "./rows.ts";
import type { TicketState } from "./ticket_machine.ts";
import type { Priority, TicketType } from "./vocab.ts";

/** Where a ticket lives on the wire. */
export const TICKET_PATH = "/tmf-api/troubleTicket/v4/troubleTicket";

/** One move in a ticket's history. */
export interface TicketStateChange {
  fromState: TicketState | null;
  toState: TicketState;
  changedBy: string | null;
  changedByAgentId: string | null;
  reason: string | null;
  eventTime: string;
}

/** A ticket as TMF621 shows it. */
export interface TicketView {
  "@type": "TroubleTicket";
  id: string;
  href: string;
  ticketType: TicketType;
  subject: string;
  description: string | null;
  state: TicketState;
  priority: Priority;
  customerId: string;
  caseId: string | null;
  assignedToAgentId: string | null;
  relatedOrderId: string | null;
  relatedSubscriptionId: string | null;
  relatedServiceId: string | null;
  slaDueAt: string | null;
  resolutionNotes: string | null;
  openedAt: string;
  resolvedAt: string | null;
  closedAt: string | null;
  stateHistory: TicketStateChange[];
}

async function ticketsWhere(
  sql: Sql,
  where: Fragment,
  page = { limit: 1, offset: 0 },
): Promise<TicketView[]> {
  const rows = await sql`select * from crm.ticket where ${where}
    order by seq desc limit ${page.limit} offset ${page.offset}`;
  if (rows.length === 0) return [];
  const history = await sql`select * from crm.ticket_state_history
    where ticket_id = any(${rows.map((r) => r.id)}) order by id`;
  return rows.map((r) => ({
    "@type": "TroubleTicket",
    id: r.id,
    href: `${TICKET_PATH}/${r.id}`,
    ticketType: r.ticket_type,
    subject: r.subject,
    description: r.description,
    state: r.state,
    priority: r.priority,
    customerId: r.customer_id,
    caseId: r.case_id,
    assignedToAgentId: r.assigned_to_agent_id,
    relatedOrderId: r.related_order_id,
    relatedSubscriptionId: r.related_subscription_id,
    relatedServiceId: r.related_service_id,
    slaDueAt: iso(r.sla_due_at),
    resolutionNotes: r.resolution_notes,
    openedAt: iso(r.opened_at)!,
    resolvedAt: iso(r.resolved_at),
    closedAt: iso(r.closed_at),
    stateHistory: history.filter((h) => h.ticket_id === r.id).map((h) => ({
      fromState: h.from_state,
      toState: h.to_state,
      changedBy: h.changed_by,
      changedByAgentId: h.changed_by_agent_id,
      reason: h.reason,
      eventTime: iso(h.event_time)!,
    })),
  }));
}

/** One ticket, or undefined. */
export async function getTicket(sql: Sql, id: string): Promise<TicketView | undefined> {
  const [ticket] = await ticketsWhere(sql, sql`id = ${id}`);
  return ticket;
}

/** Tickets, newest first, by any of customer, case, state and assignee. */
export function listTickets(
  sql: Sql,
  q: {
    customerId?: string;
    caseId?: string;
    state?: string;
    assignedToAgentId?: string;
    limit: number;
    offset: number;
  },
): Promise<TicketView[]> {
  const where = allOf(sql, [
    ...eq(sql, "customer_id", q.customerId),
    ...eq(sql, "case_id", q.caseId),
    ...eq(sql, "state", q.state),
    ...eq(sql, "assigned_to_agent_id", q.assignedToAgentId),
  ]);
  return ticketsWhere(sql, where, q);
}
