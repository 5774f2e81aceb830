/**
 * Catalog cards (docs/cockpit.md §3.6): the plan comparison (columns of sellable bundles, cheapest
 * first, ★ on the most popular), the single plan card and the VAS table.
 *
 * @module
 */
import { box } from "./box.ts";
import { allowanceText } from "./format.ts";
import type { RenderOptions } from "./options.ts";
import { columns, fit } from "./text.ts";
import type { Offering, VasOffering } from "./wire.ts";

const POPULAR = "PLAN_M";
const COLUMN = 22;
const GAP = 2;

function price(o: Offering): number | null {
  const value = o.productOfferingPrice[0]?.price.taxIncludedAmount.value;
  return value === undefined ? null : Number(value);
}

function priceText(o: Offering): string {
  const p = o.productOfferingPrice[0]?.price.taxIncludedAmount;
  return p ? `${p.unit} ${Number(p.value)} /mo` : "—";
}

function allowance(o: Offering, type: string): string {
  const a = o.bundleAllowance.find((b) => b.allowanceType === type);
  return a ? allowanceText(a.quantity, a.unit) : "—";
}

/** Sellable active bundles, cheapest first (unpriced last). */
export function comparablePlans(offerings: Offering[]): Offering[] {
  return offerings
    .filter((o) =>
      o.isBundle && o.isSellable !== false && (o.lifecycleStatus ?? "active") === "active"
    )
    .sort((a, b) => (price(a) ?? Infinity) - (price(b) ?? Infinity));
}

/** The starred plan: PLAN_M when offered, else the median. */
function popular(plans: Offering[]): string | undefined {
  return plans.find((p) => p.id === POPULAR)?.id ?? plans[Math.floor(plans.length / 2)]?.id;
}

function planBlock(o: Offering, star: boolean): string[] {
  return [
    `${o.id}${star ? " ★" : ""}  ${o.name ?? ""}`,
    priceText(o),
    "",
    `Data    ${allowance(o, "data")}`,
    `Voice   ${allowance(o, "voice")}`,
    `SMS     ${allowance(o, "sms")}`,
    `Roaming ${allowance(o, "data_roaming")}`,
  ];
}

/** The plan comparison: plans side by side, as many columns as the width holds. */
export function renderPlanComparison(offerings: Offering[], options: RenderOptions): string {
  const plans = comparablePlans(offerings);
  const inner = options.width - 4;
  const perRow = Math.max(1, Math.floor((inner - 1 + GAP) / (COLUMN + GAP)));
  const star = popular(plans);
  const lines: string[] = [];
  for (let i = 0; i < plans.length; i += perRow) {
    const blocks = plans.slice(i, i + perRow).map((p) => planBlock(p, p.id === star));
    if (i > 0) lines.push("");
    for (let row = 0; row < blocks[0].length; row++) {
      lines.push(" " + blocks.map((b) => fit(b[row], COLUMN)).join(" ".repeat(GAP)));
    }
  }
  const currency = plans[0]?.productOfferingPrice[0]?.price.taxIncludedAmount.unit ?? "SGD";
  lines.push(plans.length ? ` Prices in ${currency}, GST inclusive.` : "(no plans in catalog)");
  return box(lines, "Product Offerings", options);
}

/** One plan: price, the 30-day bundle, and what happens when it runs out. */
export function renderPlan(offering: Offering, options: RenderOptions): string {
  const roaming = allowance(offering, "data_roaming");
  return box(
    [
      `Price:     ${priceText(offering)} (GST inclusive)`,
      "",
      "Bundle (every 30 days)",
      `  Data     ${allowance(offering, "data")}`,
      `  Voice    ${allowance(offering, "voice")}`,
      `  SMS      ${allowance(offering, "sms")}`,
      ...(roaming === "—" ? [] : [`  Roaming  ${roaming}`]),
      "",
      "When a bundle runs out the line is blocked until renewal or a top-up.",
    ],
    `${offering.id}  ${offering.name ?? ""}${offering.id === POPULAR ? "  ★ MOST POPULAR" : ""}`,
    options,
  );
}

/** The VAS offerings as a table: id, name, price, allowance, expiry. */
export function renderVasTable(vas: VasOffering[], options: RenderOptions): string {
  const inner = options.width - 4;
  const header = ["ID", "Name", "Price", "Allowance", "Expiry"];
  const rows = vas.map((v) => [
    v.id,
    v.name ?? "—",
    `${v.currency} ${v.priceAmount}`,
    v.allowanceType
      ? `${v.allowanceType} ${allowanceText(v.allowanceQuantity, v.allowanceUnit ?? undefined)}`
      : "—",
    v.expiryHours ? `${v.expiryHours}h` : "—",
  ]);
  const fixed = [16, 0, 12, 20, 7];
  fixed[1] = inner - fixed.reduce((a, b) => a + b, 0) - 4;
  const line = (cols: string[]) => columns(cols.map((c, i) => [c, fixed[i]] as [string, number]));
  return box(
    rows.length
      ? [line(header), line(fixed.map((w) => "─".repeat(w))), ...rows.map(line)]
      : ["(no VAS offerings)"],
    "VAS Offerings",
    options,
  );
}
