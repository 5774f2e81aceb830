/**
 * The case read model (docs/http.md §6.4 Case, snake_case) with its notes and ticket ids.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import type { CaseState } from "./case_machine.ts";
import { allOf, eq, type Fragment, iso } from "./rows.ts";
import type { CaseCategory, EscalationCategory, Priority } from "./vocab.ts";

/** A note on a case. */
export interface CaseNoteView {
  id: string;
  case_id: string;
  author_agent_id: string | null;
  body: string;
  created_at: string;
}

/** A case as `/crm-api/v1/case` shows it. */
export interface CaseView {
  id: string;
  customer_id: string;
  subject: string;
  description: string | null;
  state: CaseState;
  priority: Priority;
  category: CaseCategory;
  escalation_category: EscalationCategory | null;
  resolution_code: string | null;
  opened_by_agent_id: string | null;
  opened_at: string;
  closed_at: string | null;
  notes: CaseNoteView[];
  ticket_ids: string[];
  chat_transcript_hash: string | null;
}

/** A note row as the API shows it. */
export function noteView(n: Record<string, unknown>): CaseNoteView {
  return {
    id: n.id as string,
    case_id: n.case_id as string,
    author_agent_id: n.author_agent_id as string | null,
    body: n.body as string,
    created_at: iso(n.created_at as Date)!,
  };
}

async function casesWhere(
  sql: Sql,
  where: Fragment,
  page = { limit: 1, offset: 0 },
): Promise<CaseView[]> {
  const rows = await sql`select * from crm.case c where ${where}
    order by seq desc limit ${page.limit} offset ${page.offset}`;
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const notes = await sql`select * from crm.case_note where case_id = any(${ids}) order by seq`;
  const tickets = await sql`select id, case_id from crm.ticket
    where case_id = any(${ids}) order by seq`;
  return rows.map((r) => ({
    id: r.id,
    customer_id: r.customer_id,
    subject: r.subject,
    description: r.description,
    state: r.state,
    priority: r.priority,
    category: r.category,
    escalation_category: r.escalation_category,
    resolution_code: r.resolution_code,
    opened_by_agent_id: r.opened_by_agent_id,
    opened_at: iso(r.opened_at)!,
    closed_at: iso(r.closed_at),
    notes: notes.filter((n) => n.case_id === r.id).map(noteView),
    ticket_ids: tickets.filter((t) => t.case_id === r.id).map((t) => t.id),
    chat_transcript_hash: r.chat_transcript_hash,
  }));
}

/** One case, or undefined. */
export async function getCase(sql: Sql, id: string): Promise<CaseView | undefined> {
  const [found] = await casesWhere(sql, sql`c.id = ${id}`);
  return found;
}

/**
 * Cases, newest first, by customer, state, and agent (cases with a ticket assigned to the
 * agent: cases themselves carry no assignee).
 */
export function listCases(
  sql: Sql,
  q: {
    customerId?: string;
    state?: string;
    assignedAgentId?: string;
    limit: number;
    offset: number;
  },
): Promise<CaseView[]> {
  const where = allOf(sql, [
    ...eq(sql, "c.customer_id", q.customerId),
    ...eq(sql, "c.state", q.state),
    ...q.assignedAgentId === undefined ? [] : [
      sql`exists (select 1 from crm.ticket t
        where t.case_id = c.id and t.assigned_to_agent_id = ${q.assignedAgentId})`,
    ],
  ]);
  return casesWhere(sql, where, q);
}
