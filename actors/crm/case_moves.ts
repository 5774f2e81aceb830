/**
 * Moving a case through its state machine: the rules of the move, the state, the
 * `case.<trigger>` event and the auto-logged interaction, in the caller's transaction. A
 * cancel takes the case's unfinished tickets with it.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import { NotFound } from "../../kernel/errors.ts";
import { emit } from "../../kernel/events.ts";
import type { CaseState, CaseTrigger } from "./case_machine.ts";
import { caseTarget, requireResolutionCode, requireTicketsDone } from "./case_policies.ts";
import { logInteraction } from "./interactions.ts";
import { lockTicket, moveTicket } from "./ticket_moves.ts";
import type { CaseCategory, Priority } from "./vocab.ts";

/** The case columns writes decide on. */
export interface CaseRow {
  id: string;
  customer_id: string;
  state: CaseState;
  priority: Priority;
  category: CaseCategory;
  resolution_code: string | null;
}

/** The case, locked for this transaction; unknown → 404. */
export async function lockCase(sql: Sql, id: string): Promise<CaseRow> {
  const [row] = await sql<CaseRow[]>`select id, customer_id, state, priority, category,
      resolution_code
    from crm.case where id = ${id} for update`;
  if (!row) throw new NotFound("Case", id);
  return row;
}

/**
 * Ends the case's unfinished tickets: a resolved one is closed, any other cancelled, each as
 * an ordinary ticket move (history, event, interaction).
 */
async function endTickets(sql: Sql, caseId: string): Promise<void> {
  const ids = await sql`select id from crm.ticket
    where case_id = ${caseId} and state not in ('closed', 'cancelled') order by seq`;
  for (const { id } of ids) {
    const t = await lockTicket(sql, id);
    await moveTicket(sql, t, t.state === "resolved" ? "close" : "cancel", {
      reason: `Case ${caseId} cancelled`,
    });
  }
}

/**
 * Fires `trigger` on `c` (updated in place). `resolve` and `close` need every ticket done;
 * `close` needs a stored resolution code; `cancel` ends the tickets.
 */
export async function moveCase(sql: Sql, c: CaseRow, trigger: CaseTrigger): Promise<void> {
  const from = c.state;
  const to = caseTarget(from, trigger);
  if (trigger === "resolve" || trigger === "close") await requireTicketsDone(sql, c.id);
  if (trigger === "close") requireResolutionCode(c.resolution_code);
  if (trigger === "cancel") await endTickets(sql, c.id);
  await sql`update crm.case set state = ${to},
      closed_at = case when ${to} = 'closed' then kernel.bss_now() else closed_at end,
      updated_at = kernel.bss_now()
    where id = ${c.id}`;
  await emit(sql, {
    type: `case.${trigger}`,
    aggregateType: "case",
    aggregateId: c.id,
    payload: { from_state: from, to_state: to, trigger },
  });
  await logInteraction(sql, {
    customerId: c.customer_id,
    summary: `Case ${c.id} ${trigger}: ${from} -> ${to}`,
    relatedCaseId: c.id,
  });
  c.state = to;
}
