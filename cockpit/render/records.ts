/**
 * List cards of the operator's day beyond docs/cockpit.md §3.10: cases, tickets, payment methods
 * (brand and last 4, never the token), payment attempts (with their date), domain events, the
 * services' span figures (`bss trace services`).
 * Payloads are read loosely (camelCase or snake_case) so a serialiser's spelling does not
 * break the card.
 *
 * @module
 */
import { field, minute, orDash } from "./format.ts";
import type { RenderOptions } from "./options.ts";
import { table } from "./table.ts";

type Loose = Record<string, unknown>;

const text = (record: Loose, key: string) => orDash(field<string | number | null>(record, key));

/** Cases: id, state, priority, customer, subject. */
export function renderCaseList(cases: Loose[], options: RenderOptions): string {
  return table({
    title: "Cases",
    header: [["ID", 14], ["State", 12], ["Priority", 8], ["Customer", 14], ["Subject", 0]],
    rows: cases.map((c) => [
      text(c, "id"),
      text(c, "state"),
      text(c, "priority"),
      text(c, "customerId"),
      text(c, "subject"),
    ]),
    empty: "(no cases)",
    cap: 50,
  }, options);
}

/** Tickets: id, type, state, priority, agent, SLA due (whole at 80 columns). */
export function renderTicketList(tickets: Loose[], options: RenderOptions): string {
  return table({
    title: "Tickets",
    header: [["ID", 9], ["Type", 16], ["State", 12], ["Priority", 8], ["Agent", 7], [
      "SLA due",
      0,
    ]],
    rows: tickets.map((t) => [
      text(t, "id"),
      text(t, "ticketType"),
      text(t, "state"),
      text(t, "priority"),
      text(t, "assignedToAgentId"),
      minute(field(t, "slaDueAt")),
    ]),
    empty: "(no tickets)",
    cap: 50,
  }, options);
}

/** Payment methods: id, brand and last 4, expiry, default, status. */
export function renderPaymentMethods(methods: Loose[], options: RenderOptions): string {
  return table({
    title: "Payment methods",
    header: [["ID", 10], ["Card", 18], ["Expires", 8], ["Default", 8], ["Status", 0]],
    rows: methods.map((m) => {
      const card = (field<Loose | undefined>(m, "cardSummary") ?? m) as Loose;
      const month = field<number | undefined>(card, "expMonth");
      return [
        text(m, "id"),
        `${orDash(field(card, "brand"))} •••• ${orDash(field(card, "last4"))}`,
        month === undefined ? "—" : `${String(month).padStart(2, "0")}/${field(card, "expYear")}`,
        field(m, "isDefault") ? "yes" : "",
        text(m, "status"),
      ];
    }),
    empty: "(no payment methods)",
    cap: 25,
  }, options);
}

/** Payment attempts, newest first: when, id, purpose, amount, status, decline. */
export function renderPaymentAttempts(attempts: Loose[], options: RenderOptions): string {
  return table({
    title: "Payment attempts",
    header: [["When", 16], ["ID", 10], ["Purpose", 12], ["Amount", 12], ["Status", 9], [
      "Decline",
      0,
    ]],
    rows: attempts.map((a) => [
      minute(field(a, "attemptedAt")),
      text(a, "id"),
      text(a, "purpose"),
      `${orDash(field(a, "amount"))} ${orDash(field(a, "currency"))}`,
      text(a, "status"),
      orDash(field(a, "declineReason") ?? field(a, "declineCode")),
    ]),
    empty: "(no payment attempts)",
    cap: 50,
  }, options);
}

/** Domain events, oldest first: when, type, aggregate, who. */
export function renderEvents(events: Loose[], options: RenderOptions): string {
  return table({
    title: "Events",
    header: [["When", 16], ["Event", 26], ["Aggregate", 14], ["Actor", 0]],
    rows: events.map((e) => [
      minute(field(e, "occurredAt")),
      text(e, "eventType"),
      text(e, "aggregateId"),
      `${orDash(field(e, "actor"))} (${orDash(field(e, "channel"))})`,
    ]),
    empty: "(no events)",
    cap: 100,
  }, options);
}

/** A duration in ms to one decimal, or a dash when there is none. */
const ms = (value: unknown) => typeof value === "number" ? value.toFixed(1) : "—";

/** Per service: traces, spans, error spans, p50/p99 ms of the requests and messages handled. */
export function renderServiceStats(stats: Loose[], options: RenderOptions): string {
  return table({
    title: "Services (spans over the window)",
    header: [["Service", 0], ["Traces", 7], ["Spans", 7], ["Errors", 6], ["p50 ms", 9], [
      "p99 ms",
      9,
    ]],
    flex: 0,
    rows: stats.map((s) => [
      text(s, "service"),
      text(s, "traces"),
      text(s, "spans"),
      text(s, "errors"),
      ms(s.p50Ms),
      ms(s.p99Ms),
    ]),
    empty: "(no spans in the window)",
    cap: 50,
    footer: ["p50/p99: requests and messages the service handled (SERVER and CONSUMER spans)"],
  }, options);
}
