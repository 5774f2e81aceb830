/**
 * Trouble-ticket write rules (docs/domain.md §4.1), one function per rule family.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import { PolicyViolation } from "../../kernel/errors.ts";
import { getAgent } from "./agents.ts";
import { firesFrom, nextState } from "./fsm.ts";
import {
  TERMINAL_TICKET_STATES,
  TICKET_MACHINE,
  type TicketState,
  type TicketTrigger,
} from "./ticket_machine.ts";

/**
 * The state `trigger` leads to. A cancel of a resolved or finished ticket breaks
 * `ticket.cancel.not_if_resolved_or_closed`; any other illegal move
 * `ticket.transition.valid_from_state`.
 */
export function ticketTarget(state: TicketState, trigger: TicketTrigger): TicketState {
  const to = nextState(TICKET_MACHINE, state, trigger);
  if (to) return to;
  if (trigger === "cancel") {
    throw new PolicyViolation(
      "ticket.cancel.not_if_resolved_or_closed",
      `a ${state} ticket cannot be cancelled`,
      { current_state: state },
    );
  }
  throw new PolicyViolation(
    "ticket.transition.valid_from_state",
    `${trigger} is not allowed from ${state} (only from ${firesFrom(TICKET_MACHINE, trigger)})`,
    { current_state: state, trigger },
  );
}

/** `ticket.assign.agent_must_be_active`: the assignee exists and is `active`. */
export async function requireActiveAgent(sql: Sql, agentId: string): Promise<void> {
  const agent = await getAgent(sql, agentId);
  if (agent?.status === "active") return;
  throw new PolicyViolation(
    "ticket.assign.agent_must_be_active",
    agent ? `agent ${agentId} is ${agent.status}` : `agent ${agentId} does not exist`,
    { agent_id: agentId, ...agent && { status: agent.status } },
  );
}

/** `ticket.ack.requires_agent`: a ticket is acknowledged by its (given or stored) assignee. */
export function requireAckAgent(ticketId: string, agentId: string | null): string {
  if (agentId) return agentId;
  throw new PolicyViolation(
    "ticket.ack.requires_agent",
    "acknowledging a ticket needs an assigned agent",
    { ticket_id: ticketId },
  );
}

/** `ticket.resolve.requires_resolution_notes`: a resolution says what was done. */
export function requireResolutionNotes(notes: string | undefined): string {
  if (notes?.trim()) return notes.trim();
  throw new PolicyViolation(
    "ticket.resolve.requires_resolution_notes",
    "resolving a ticket needs resolution notes",
  );
}

/** `ticket.open.requires_customer`: a ticket is opened for an existing customer. */
export async function requireTicketCustomer(sql: Sql, customerId: string): Promise<void> {
  const [row] = await sql`select 1 from crm.customer where id = ${customerId}`;
  if (row) return;
  throw new PolicyViolation(
    "ticket.open.requires_customer",
    `customer ${customerId} does not exist`,
    { customer_id: customerId },
  );
}

/**
 * `ticket.open.case_not_found`: a ticket's case exists and is its customer's (another
 * customer's case reads as not found). A closed case takes no new tickets
 * (`ticket.open.case_is_closed`). Locks the case so it cannot close meanwhile.
 */
export async function requireTicketCase(
  sql: Sql,
  caseId: string,
  customerId: string,
): Promise<void> {
  const [row] = await sql`select state from crm.case
    where id = ${caseId} and customer_id = ${customerId} for update`;
  if (!row) {
    throw new PolicyViolation(
      "ticket.open.case_not_found",
      `case ${caseId} is not a case of customer ${customerId}`,
      { case_id: caseId, customer_id: customerId },
    );
  }
  if (row.state === "closed") {
    throw new PolicyViolation("ticket.open.case_is_closed", `case ${caseId} is closed`, {
      case_id: caseId,
      state: row.state,
    });
  }
}

/** `ticket.update.ticket_is_closed`: a closed or cancelled ticket's fields stay as they are. */
export function requireTicketEditable(ticketId: string, state: TicketState): void {
  if (!TERMINAL_TICKET_STATES.includes(state)) return;
  throw new PolicyViolation("ticket.update.ticket_is_closed", `ticket ${ticketId} is ${state}`, {
    ticket_id: ticketId,
    state,
  });
}
