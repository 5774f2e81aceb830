/**
 * Case write rules (docs/domain.md §4.1, docs/decisions.md "Domain"), one function per rule family.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import { PolicyViolation } from "../../kernel/errors.ts";
import { CASE_MACHINE, type CaseState, type CaseTrigger } from "./case_machine.ts";
import { firesFrom, nextState } from "./fsm.ts";
import { PRIORITIES, type Priority } from "./vocab.ts";

/** `case.open.customer_must_be_active`: cases are opened for `active` customers. */
export async function requireActiveCustomer(sql: Sql, customerId: string): Promise<void> {
  // Shared lock: the customer cannot be closed while the case is being opened.
  const [row] = await sql`select status from crm.customer where id = ${customerId} for share`;
  if (row?.status === "active") return;
  throw new PolicyViolation(
    "case.open.customer_must_be_active",
    row ? `customer ${customerId} is ${row.status}` : `customer ${customerId} does not exist`,
    { customer_id: customerId, ...row && { status: row.status } },
  );
}

/** `case.transition.valid_from_state`: the state `trigger` leads to from `state`. */
export function caseTarget(state: CaseState, trigger: CaseTrigger): CaseState {
  const to = nextState(CASE_MACHINE, state, trigger);
  if (to) return to;
  throw new PolicyViolation(
    "case.transition.valid_from_state",
    `${trigger} is not allowed from ${state} (only from ${firesFrom(CASE_MACHINE, trigger)})`,
    { current_state: state, trigger },
  );
}

/**
 * `case.close.requires_all_tickets_resolved` (on resolve and close): every ticket of the case
 * is `resolved`, `closed` or `cancelled`.
 */
export async function requireTicketsDone(sql: Sql, caseId: string): Promise<void> {
  // Shared locks on every ticket of the case: none can be reopened while the case moves.
  const tickets = await sql`select id, state from crm.ticket
    where case_id = ${caseId} order by seq for share`;
  const open = tickets.filter((t) => !["resolved", "closed", "cancelled"].includes(t.state));
  if (open.length === 0) return;
  throw new PolicyViolation(
    "case.close.requires_all_tickets_resolved",
    `case ${caseId} has ${open.length} unresolved ticket(s)`,
    { case_id: caseId, open_tickets: open.map((t) => t.id) },
  );
}

/** `case.close.requires_resolution_code`: a case closes with a resolution code. */
export function requireResolutionCode(code: string | null | undefined): string {
  if (code?.trim()) return code.trim();
  throw new PolicyViolation(
    "case.close.requires_resolution_code",
    "closing a case needs a resolution_code",
  );
}

/** `case.update.case_is_closed` / `case.add_note.case_is_closed`: a closed case is final. */
export function requireCaseOpen(
  rule: "case.update.case_is_closed" | "case.add_note.case_is_closed",
  caseId: string,
  state: CaseState,
): void {
  if (state !== "closed") return;
  throw new PolicyViolation(rule, `case ${caseId} is closed`, { case_id: caseId, state });
}

/** `case.update.invalid_priority`: one of low, medium, high, critical. */
export function requireKnownPriority(priority: string): Priority {
  if ((PRIORITIES as readonly string[]).includes(priority)) return priority as Priority;
  throw new PolicyViolation(
    "case.update.invalid_priority",
    `priority must be one of ${PRIORITIES.join(", ")}`,
    { priority },
  );
}
