/**
 * Promotion money terms (docs/domain.md §6.2), pure: the discounted amount, its display label, and
 * how many periods a subscription is discounted for. COM and subscription apply these to the
 * undiscounted snapshot; catalog composes them when a promotion validates.
 *
 * @module
 */
import { fromCents, toCents } from "./money.ts";

/** How a promotion discounts. */
export type DiscountType = "percent" | "absolute";

/** How long a promotion discounts. */
export type DurationKind = "single" | "multi" | "perpetual";

/**
 * `base` after the discount: percent `base*(100-v)/100`, absolute `base-v`; never below zero;
 * rounded half-up to the cent.
 */
export function applyDiscount(type: DiscountType, value: string, base: string): string {
  const baseCents = toCents(base);
  const valueCents = toCents(value);
  if (type === "absolute") {
    const rest = baseCents - valueCents;
    return fromCents(rest > 0n ? rest : 0n);
  }
  // value is in hundredths of a percent: base * (10000 - v) / 10000, half-up.
  const numerator = baseCents * (10000n - valueCents);
  if (numerator <= 0n) return fromCents(0n);
  return fromCents((numerator * 2n + 10000n) / 20000n);
}

/** The display label: `"20% off"` (trailing zeros dropped), `"SGD 5.00 off"`. */
export function discountLabel(type: DiscountType, value: string, currency: string): string {
  const exact = fromCents(toCents(value));
  if (type === "absolute") return `${currency} ${exact} off`;
  return `${exact.replace(/\.?0+$/, "")}% off`;
}

/** Discounted periods as the subscription counts them: single 1, multi N, perpetual -1. */
export function discountPeriodsTotal(kind: DurationKind, periodsTotal: number | null): number {
  if (kind === "perpetual") return -1;
  if (kind === "multi") return periodsTotal ?? 0;
  return 1;
}
