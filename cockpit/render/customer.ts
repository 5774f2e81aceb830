/**
 * Customer 360 card (docs/cockpit.md §3.3): status and KYC, contact, subscriptions with their data
 * bundle use, open cases with their tickets, recent interactions.
 *
 * @module
 */
import { box, rule, stateDot } from "./box.ts";
import { day, formatMsisdn, minute } from "./format.ts";
import { paint, type RenderOptions } from "./options.ts";
import { columns } from "./text.ts";
import type { Case, Customer, Interaction, Subscription, Ticket } from "./wire.ts";

/** What the 360 shows beside the customer; every list may be missing (best-effort reads). */
export interface CustomerExtras {
  subscriptions?: Subscription[];
  cases?: Case[];
  /** Tickets of the customer; those of an open case are drawn under it. */
  tickets?: Ticket[];
  interactions?: Interaction[];
}

/** A customer as `customer.get` returns it: the CRM customer plus `_extras`. */
export type Customer360 = Customer & { _extras?: CustomerExtras };

const CLOSED_CASES = ["closed", "resolved"];
const INTERACTIONS_SHOWN = 5;

function kycBadge(status: string, color: boolean): string {
  if (status === "verified") return paint(" · ✓ KYC verified", "green", color);
  if (
    status === "not_verified" || status === "pending" || status === "expired" ||
    status === "rejected"
  ) {
    return paint(" · ⚠ KYC not verified", "yellow", color);
  }
  return "";
}

function dataUse(sub: Subscription): string {
  const data = sub.balances.find((b) => b.allowanceType === "data");
  // An ended line's bundle is history, not use.
  if (!data || sub.state === "terminated") return "";
  if (data.total < 0) return "bundle unlimited";
  return `bundle ${data.total === 0 ? 0 : Math.round((data.consumed / data.total) * 100)}%`;
}

function subscriptionRows(subs: Subscription[], inner: number): string[] {
  if (!subs.length) return ["  (none)"];
  return subs.map((s) => {
    const marker = s.state === "blocked" ? "⚠ " : "  ";
    return marker + columns([
      [s.id, 12],
      [s.offeringId, 10],
      [s.state, 11],
      [formatMsisdn(s.msisdn), 10],
      [dataUse(s), inner - 49],
    ]);
  });
}

function caseRows(cases: Case[], tickets: Ticket[], inner: number): string[] {
  const open = cases.filter((c) => !CLOSED_CASES.includes(c.state));
  const rows = open.flatMap((c) => [
    "  " + columns([[c.id, 12], [c.subject, inner - 37], [c.priority, 8], [c.state, 12]]),
    ...tickets.filter((t) => t.caseId === c.id).map((t) =>
      "    └─ " + columns([[t.id, 10], [t.ticketType, 20], [t.priority, 8], [t.state, 14]])
    ),
  ]);
  const done = cases.length - open.length;
  if (done) rows.push(`  (+ ${done} resolved/closed)`);
  return rows.length ? rows : ["  (none)"];
}

function interactionRows(items: Interaction[], inner: number): string[] {
  if (!items.length) return ["  (none)"];
  const rows = items.slice(0, INTERACTIONS_SHOWN).map((i) =>
    "  " + columns([[minute(i.occurredAt), 16], [i.channel ?? "—", 14], [i.summary, inner - 35]])
  );
  const more = items.length - INTERACTIONS_SHOWN;
  if (more > 0) rows.push(`  (+ ${more} more …)`);
  return rows;
}

/** The customer 360 card. */
export function renderCustomer360(data: Customer360, options: RenderOptions): string {
  const inner = options.width - 4;
  const extras = data._extras ?? {};
  const email = data.contactMedium.find((m) => m.mediumType === "email")?.value ?? "—";
  const mobile = data.contactMedium.find((m) => m.mediumType === "mobile")?.value ?? "—";
  const subs = extras.subscriptions ?? [];
  const cases = extras.cases ?? [];
  const interactions = extras.interactions ?? [];
  const sectionWidth = inner - 8;
  return box(
    [
      `Status:  ${stateDot(data.status, options.color)}${kycBadge(data.kycStatus, options.color)}`,
      `Contact: ${email} · ${mobile}`,
      `Since:   ${day(data.customerSince)}`,
      "",
      rule(`Subscriptions (${subs.length})`, sectionWidth),
      ...subscriptionRows(subs, inner),
      "",
      rule(
        `Open Cases (${cases.filter((c) => !CLOSED_CASES.includes(c.state)).length})`,
        sectionWidth,
      ),
      ...caseRows(cases, extras.tickets ?? [], inner),
      "",
      rule(`Recent Interactions (${interactions.length})`, sectionWidth),
      ...interactionRows(interactions, inner),
    ],
    `${data.id}  ${data.name}`,
    options,
  );
}
