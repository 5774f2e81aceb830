/**
 * Case and ticket cards (docs/cockpit.md §3.8–3.9).
 *
 * @module
 */
import { box, rule } from "./box.ts";
import { orDash } from "./format.ts";
import type { RenderOptions } from "./options.ts";
import { columns, wrapText } from "./text.ts";
import type { Case, Ticket } from "./wire.ts";

/** A case as the CRM returns it, plus its tickets when the caller fetched them. */
export type CaseCardData = Case & { tickets?: Ticket[] };

/**
 * `text` after `label`, wrapped to `width` cells, its lines indented to `labelWidth` (or past a
 * longer label).
 */
function labelled(label: string, text: string, width: number, labelWidth: number): string[] {
  const indent = Math.max(labelWidth, label.length + 1);
  return wrapText(text, width - indent).map((l, i) => (i ? "" : label).padEnd(indent) + l);
}

/** The case card: subject, what it is about, customer, opening, tickets and notes. */
export function renderCase(data: CaseCardData, options: RenderOptions): string {
  const inner = options.width - 4;
  const tickets = data.tickets ?? [];
  const ticketRows = tickets.length
    ? tickets.map((t) =>
      columns([
        [t.id, 10],
        [t.ticketType, 20],
        [t.state, 14],
        [t.priority, 8],
        [t.assignedToAgentId ?? "—", inner - 56],
      ])
    )
    : data.ticket_ids.length
    ? [data.ticket_ids.join("  ")]
    : ["(none)"];
  const notes = data.notes.length
    ? data.notes.map((n) =>
      // A note added from the CLI or the REPL names no agent: the audit log has its caller.
      `[${n.author_agent_id ?? "—"} ${n.created_at.slice(0, 16)}] ${n.body}`
    )
    : ["(none)"];
  const about = data.description ? labelled("About:", data.description, inner, 10) : [];
  return box(
    [
      `Subject:  ${data.subject}`,
      ...about,
      `Customer: ${data.customer_id}`,
      `Category: ${data.category}${
        data.escalation_category ? ` (${data.escalation_category})` : ""
      }`,
      `Opened:   ${data.opened_at}${
        data.opened_by_agent_id ? ` by ${data.opened_by_agent_id}` : ""
      }`,
      ...(data.closed_at ? [`Closed:   ${data.closed_at} (${orDash(data.resolution_code)})`] : []),
      "",
      rule(`Tickets (${Math.max(tickets.length, data.ticket_ids.length)})`, inner - 16),
      ...ticketRows,
      "",
      rule(`Notes (${data.notes.length})`, inner - 16),
      ...notes,
    ],
    `${data.id}  [${data.state}]  ${data.priority}`,
    options,
  );
}

/** What `case.show_transcript_for` answers. */
export interface TranscriptCardData {
  transcript: string | null;
  customerId?: string;
  recordedAt?: string;
}

/**
 * The chat transcript a case was escalated from: each turn as `<role>:` over its words, as the
 * chat stored it (the customer's messages and the assistant's answers before the escalation).
 */
export function renderTranscript(data: TranscriptCardData, options: RenderOptions): string {
  const inner = options.width - 4;
  const lines = data.transcript === null
    ? ["(no chat transcript: this case was not escalated from a chat)"]
    : wrapText(data.transcript, inner);
  const title = data.transcript === null
    ? "Chat transcript"
    : `Chat transcript  ${orDash(data.customerId)}  ${orDash(data.recordedAt)}`;
  return box(lines, title, options);
}

/** The ticket card: its facts, what it is about, the line or order it concerns, its history. */
export function renderTicket(data: Ticket, options: RenderOptions): string {
  const inner = options.width - 4;
  const field = (label: string, value: string | null | undefined) =>
    value ? labelled(`${label}:`, value, inner, 11) : [];
  const history = (data.stateHistory ?? []).map((h) =>
    `${h.eventTime.slice(0, 16)}  ${h.fromState ?? "—"} → ${h.toState}  ` +
    `${h.changedByAgentId ?? h.changedBy}  ${h.reason ?? ""}`.trimEnd()
  );
  return box(
    [
      `Subject:   ${data.subject}`,
      ...field("About", data.description),
      `Type:      ${data.ticketType}`,
      `State:     ${data.state}`,
      `Priority:  ${data.priority}`,
      `Assigned:  ${orDash(data.assignedToAgentId)}`,
      `Case:      ${orDash(data.caseId)}`,
      `Customer:  ${data.customerId}`,
      ...field("Line", data.relatedSubscriptionId),
      ...field("Order", data.relatedOrderId),
      `Opened:    ${data.openedAt}`,
      `SLA due:   ${orDash(data.slaDueAt)}`,
      ...field("Resolved", data.resolvedAt),
      ...field("Closed", data.closedAt),
      ...field("Resolution", data.resolutionNotes),
      ...(history.length ? ["", rule(`History (${history.length})`, inner - 16), ...history] : []),
    ],
    data.id,
    options,
  );
}
