/**
 * Trouble-ticket writes (docs/domain.md §3–4.1, docs/http.md §6.3): open, edit, and move through the
 * state machine. Each runs in one transaction with its events and interactions.
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import { currentCaller } from "../../kernel/context.ts";
import type { Pool, Sql } from "../../kernel/db/types.ts";
import { emit } from "../../kernel/events.ts";
import { nextId } from "../../kernel/ids.ts";
import { logInteraction } from "./interactions.ts";
import { slaDueAt } from "./sla.ts";
import type { TicketTrigger } from "./ticket_machine.ts";
import { lockTicket, moveTicket, recordTicketState, type TicketRow } from "./ticket_moves.ts";
import {
  requireActiveAgent,
  requireTicketCase,
  requireTicketCustomer,
  requireTicketEditable,
  ticketTarget,
} from "./ticket_policies.ts";
import { getTicket, type TicketView } from "./ticket_queries.ts";
import type { Priority, TicketType } from "./vocab.ts";

/** A ticket to open. */
export interface NewTicket {
  customerId: string;
  subject: string;
  description?: string | null;
  ticketType: TicketType;
  priority: Priority;
  caseId?: string | null;
  assignedToAgentId?: string | null;
  relatedOrderId?: string | null;
  relatedSubscriptionId?: string | null;
  relatedServiceId?: string | null;
}

/** Field edits of a ticket. */
export interface TicketPatch {
  priority?: Priority;
  assignedToAgentId?: string;
  description?: string | null;
}

/** Opens a ticket (`open`, due per the SLA matrix), with its first history row. */
export function openTicket(sql: Pool, t: NewTicket): Promise<TicketView> {
  return sql.begin(async (tx) => {
    await requireTicketCustomer(tx, t.customerId);
    if (t.caseId) await requireTicketCase(tx, t.caseId, t.customerId);
    if (t.assignedToAgentId) await requireActiveAgent(tx, t.assignedToAgentId);
    const id = await nextId(tx, "TKT");
    const now = clock.now();
    const tenant = currentCaller().tenant;
    const due = await slaDueAt(tx, {
      type: t.ticketType,
      priority: t.priority,
      openedAt: now,
      tenant,
    });
    await tx`insert into crm.ticket (id, case_id, customer_id, ticket_type, subject, description,
        priority, assigned_to_agent_id, related_order_id, related_subscription_id,
        related_service_id, sla_due_at, opened_at, tenant_id)
      values (${id}, ${t.caseId ?? null}, ${t.customerId}, ${t.ticketType}, ${t.subject},
        ${t.description ?? null}, ${t.priority}, ${t.assignedToAgentId ?? null},
        ${t.relatedOrderId ?? null}, ${t.relatedSubscriptionId ?? null},
        ${t.relatedServiceId ?? null}, ${due}, ${now}, ${tenant})`;
    await recordTicketState(tx, {
      ticketId: id,
      from: null,
      to: "open",
      reason: "Ticket created",
      at: now,
    });
    await emit(tx, {
      type: "ticket.opened",
      aggregateType: "ticket",
      aggregateId: id,
      payload: { customer_id: t.customerId, case_id: t.caseId ?? null, subject: t.subject },
    });
    await logInteraction(tx, {
      customerId: t.customerId,
      summary: `Ticket ${id} opened: ${t.subject}`,
      agentId: t.assignedToAgentId,
      relatedCaseId: t.caseId,
      relatedTicketId: id,
    });
    return (await getTicket(tx, id))!;
  });
}

/**
 * Applies field edits to a locked ticket: an assignee must be active; a new priority moves
 * the SLA due time. Emits `ticket.updated` with what changed (nothing changed: no event).
 */
async function applyPatch(tx: Sql, t: TicketRow, patch: TicketPatch): Promise<void> {
  requireTicketEditable(t.id, t.state);
  if (patch.assignedToAgentId) await requireActiveAgent(tx, patch.assignedToAgentId);
  const next = {
    priority: patch.priority ?? t.priority,
    assigned_to_agent_id: patch.assignedToAgentId ?? t.assigned_to_agent_id,
    description: patch.description === undefined ? t.description : patch.description,
  };
  const changed = Object.fromEntries(
    (Object.keys(next) as Array<keyof typeof next>)
      .filter((k) => next[k] !== t[k])
      .map((k) => [k, { from: t[k], to: next[k] }]),
  );
  if (Object.keys(changed).length === 0) return;
  const due = changed.priority
    ? await slaDueAt(tx, {
      type: t.ticket_type,
      priority: next.priority,
      openedAt: t.opened_at,
      tenant: currentCaller().tenant,
    })
    : undefined;
  await tx`update crm.ticket set priority = ${next.priority},
      assigned_to_agent_id = ${next.assigned_to_agent_id}, description = ${next.description},
      sla_due_at = ${due === undefined ? tx`sla_due_at` : due}, updated_at = kernel.bss_now()
    where id = ${t.id}`;
  Object.assign(t, next);
  await emit(tx, {
    type: "ticket.updated",
    aggregateType: "ticket",
    aggregateId: t.id,
    payload: { changed },
  });
  await logInteraction(tx, {
    customerId: t.customer_id,
    summary: `Ticket ${t.id} updated: ${Object.keys(changed).join(", ")}`,
    relatedCaseId: t.case_id,
    relatedTicketId: t.id,
  });
}

/** Edits a ticket's priority, assignee or description (not once it is closed or cancelled). */
export function updateTicket(sql: Pool, id: string, patch: TicketPatch): Promise<TicketView> {
  return sql.begin(async (tx) => {
    await applyPatch(tx, await lockTicket(tx, id), patch);
    return (await getTicket(tx, id))!;
  });
}

/** A move request: the trigger and what it may carry. */
export interface TicketMove {
  trigger: TicketTrigger;
  /** Assigns the ticket first (an `ack` needs an assignee: this one or the stored one). */
  assignedToAgentId?: string;
  resolutionNotes?: string;
  reason?: string;
}

/** Fires a trigger on a ticket (`resolve` and `cancel` routes are this with a fixed trigger). */
export function transitionTicket(sql: Pool, id: string, move: TicketMove): Promise<TicketView> {
  return sql.begin(async (tx) => {
    const t = await lockTicket(tx, id);
    ticketTarget(t.state, move.trigger);
    if (move.assignedToAgentId) {
      await applyPatch(tx, t, { assignedToAgentId: move.assignedToAgentId });
    }
    await moveTicket(tx, t, move.trigger, move);
    return (await getTicket(tx, id))!;
  });
}
