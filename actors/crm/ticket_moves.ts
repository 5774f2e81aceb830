/**
 * Moving a ticket through its state machine: the rules of the move, the state and its
 * timestamps, a history row, the `ticket.<trigger>` event and the auto-logged interaction —
 * all in the caller's transaction.
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import { currentCaller } from "../../kernel/context.ts";
import type { Sql } from "../../kernel/db/types.ts";
import { NotFound } from "../../kernel/errors.ts";
import { emit } from "../../kernel/events.ts";
import { logInteraction } from "./interactions.ts";
import type { TicketState, TicketTrigger } from "./ticket_machine.ts";
import {
  requireAckAgent,
  requireActiveAgent,
  requireResolutionNotes,
  ticketTarget,
} from "./ticket_policies.ts";
import type { Priority, TicketType } from "./vocab.ts";

/** The ticket columns writes decide on. */
export interface TicketRow {
  id: string;
  customer_id: string;
  case_id: string | null;
  state: TicketState;
  ticket_type: TicketType;
  priority: Priority;
  description: string | null;
  assigned_to_agent_id: string | null;
  opened_at: Date;
}

/** The ticket, locked for this transaction; unknown → 404. */
export async function lockTicket(sql: Sql, id: string): Promise<TicketRow> {
  const [row] = await sql<TicketRow[]>`select id, customer_id, case_id, state, ticket_type,
      priority, description, assigned_to_agent_id, opened_at
    from crm.ticket where id = ${id} for update`;
  if (!row) throw new NotFound("TroubleTicket", id);
  return row;
}

/** Appends a history row, attributed to the caller (and to the agent, when it is one). */
export async function recordTicketState(
  sql: Sql,
  move: { ticketId: string; from: TicketState | null; to: TicketState; reason: string; at: Date },
): Promise<void> {
  const caller = currentCaller();
  await sql`insert into crm.ticket_state_history (ticket_id, from_state, to_state, changed_by,
      changed_by_agent_id, reason, event_time, tenant_id)
    values (${move.ticketId}, ${move.from}, ${move.to}, ${caller.actor},
      (select id from crm.agent where id = ${caller.actor}), ${move.reason}, ${move.at},
      ${caller.tenant})`;
}

/**
 * Fires `trigger` on `t` (updated in place). `ack` needs an active assignee on the ticket;
 * `resolve` needs resolution notes. `reason` goes to the history (default `Trigger: <trigger>`).
 */
export async function moveTicket(
  sql: Sql,
  t: TicketRow,
  trigger: TicketTrigger,
  opts: { reason?: string; resolutionNotes?: string } = {},
): Promise<void> {
  const from = t.state;
  const to = ticketTarget(from, trigger);
  if (trigger === "ack") {
    await requireActiveAgent(sql, requireAckAgent(t.id, t.assigned_to_agent_id));
  }
  const notes = trigger === "resolve" ? requireResolutionNotes(opts.resolutionNotes) : null;
  const now = clock.now();
  const finished = to === "closed" || to === "cancelled";
  await sql`update crm.ticket set
      state = ${to},
      resolved_at = case ${trigger} when 'resolve' then ${now}::timestamptz
        when 'reopen' then null else resolved_at end,
      resolution_notes = coalesce(${notes}, resolution_notes),
      closed_at = case when ${finished} then ${now}::timestamptz else closed_at end,
      updated_at = kernel.bss_now()
    where id = ${t.id}`;
  await recordTicketState(sql, {
    ticketId: t.id,
    from,
    to,
    reason: opts.reason ?? `Trigger: ${trigger}`,
    at: now,
  });
  await emit(sql, {
    type: `ticket.${trigger}`,
    aggregateType: "ticket",
    aggregateId: t.id,
    payload: { from_state: from, to_state: to, trigger },
  });
  await logInteraction(sql, {
    customerId: t.customer_id,
    summary: `Ticket ${t.id} ${trigger}: ${from} -> ${to}`,
    relatedCaseId: t.case_id,
    relatedTicketId: t.id,
  });
  t.state = to;
}
