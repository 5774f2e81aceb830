/**
 * Subscription card (docs/cockpit.md §3.4): customer, number, plan and price, state, renewal, and one
 * progress bar per bundle balance; a double box when the line is blocked.
 *
 * @module
 */
import { box, progressBar, rule, stateDot } from "./box.ts";
import { day, formatMsisdn, orDash } from "./format.ts";
import type { RenderOptions } from "./options.ts";
import type { Subscription } from "./wire.ts";

/** A subscription plus what the card may show beside it. */
export interface SubscriptionCardData {
  subscription: Subscription;
  /** Customer display name. */
  customerName?: string;
  /** Offering display name. */
  offeringName?: string;
  /** The instant "renews in" counts from (the clock's now); without it only the date shows. */
  now?: string;
}

// As the plan card says them: 100 min, 100 sms (counted allowances are SMS).
const UNITS: Record<string, string> = { mb: "MB", minutes: "min", count: "sms" };
const DAY_MS = 86_400_000;

/** One bundle balance of a subscription; unlimited is `-1` (service) or `null` (tools). */
export type Balance = Omit<Subscription["balances"][number], "total"> & { total: number | null };

// As the plan card names them.
const LABELS: Record<string, string> = {
  data: "Data",
  data_roaming: "Roaming",
  voice: "Voice",
  sms: "SMS",
};

function balanceRow(balance: Balance): string {
  const type = balance.allowanceType;
  const label = (LABELS[type] ?? type[0].toUpperCase() + type.slice(1)).padEnd(7);
  const { total: cap } = balance;
  if (cap === null || cap < 0) return `  ${label} ${progressBar(0, null)}  unlimited`;
  const b = { ...balance, total: cap };
  const gb = b.unit === "mb" && b.total >= 1024;
  const scale = gb ? 1024 : 1;
  const unit = (gb ? "GB" : UNITS[b.unit] ?? b.unit.toUpperCase()).padEnd(3);
  const pct = b.total === 0 ? 0 : Math.round((b.consumed / b.total) * 100);
  // Data in tenths; minutes and messages are whole.
  const digits = b.unit === "mb" ? 1 : 0;
  const used = (b.consumed / scale).toFixed(digits).padStart(6);
  const total = (b.total / scale).toFixed(digits).padStart(6);
  return `  ${label} ${progressBar(b.consumed, b.total)}  ${used} / ${total} ${unit}  ${
    String(pct).padStart(3)
  }%`;
}

function renewal(sub: Subscription, now: string | undefined): string {
  if (!sub.nextRenewalAt) return "—";
  if (!now) return day(sub.nextRenewalAt);
  const days = Math.max(0, Math.floor((Date.parse(sub.nextRenewalAt) - Date.parse(now)) / DAY_MS));
  return `${days} days (${day(sub.nextRenewalAt)})`;
}

/** The subscription card. */
export function renderSubscription(data: SubscriptionCardData, options: RenderOptions): string {
  const sub = data.subscription;
  const customer = data.customerName ? `${data.customerName} (${sub.customerId})` : sub.customerId;
  const plan = data.offeringName ? `${data.offeringName} (${sub.offeringId})` : sub.offeringId;
  const lines = [
    `Customer:  ${customer}`,
    `MSISDN:    ${formatMsisdn(sub.msisdn)}`,
    `Plan:      ${plan} — ${sub.priceCurrency} ${sub.effectiveAmount}/mo`,
    `State:     ${stateDot(sub.state, options.color)}${
      sub.stateReason ? ` (${sub.stateReason})` : ""
    }`,
    `Activated: ${orDash(sub.activatedAt)}`,
    // A terminated line keeps its last renewal date, but it never renews.
    sub.state === "terminated"
      ? `Ended:     ${orDash(sub.terminatedAt)}`
      : `Renews in: ${renewal(sub, data.now)}`,
  ];
  if (sub.pendingOfferingId) {
    lines.push(`Pending:   → ${sub.pendingOfferingId} from ${day(sub.pendingEffectiveAt)}`);
  }
  lines.push("", ...bundleSection(sub.balances, options.width));
  return box(lines, `Subscription ${sub.id}`, { ...options, double: sub.state === "blocked" });
}

function bundleSection(balances: Balance[], width: number): string[] {
  // A plan without roaming carries a zero roaming balance: not a row, as the portal shows it.
  const shown = balances.filter((b) => !(b.allowanceType === "data_roaming" && b.total === 0));
  return [
    rule("Bundle", width - 12),
    ...(shown.length ? shown.map(balanceRow) : ["  (no balances)"]),
  ];
}

/** The balances alone, as `subscription.get_balance` returns them. */
export function renderBalances(
  data: { subscriptionId: string; balances: Balance[] },
  options: RenderOptions,
): string {
  return box(
    bundleSection(data.balances, options.width),
    `Subscription ${data.subscriptionId}`,
    options,
  );
}
