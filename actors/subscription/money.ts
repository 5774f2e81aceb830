/**
 * What a subscription period costs (docs/domain.md §6.2): the snapshot's base, discounted by the
 * catalog's promo arithmetic while promo periods remain.
 *
 * @module
 */
import { applyDiscount } from "../catalog/discount.ts";
import { canonicalAmount } from "../catalog/money.ts";

/** A promo as the snapshot carries it. */
export interface Discount {
  type: string | null;
  value: string | null;
}

/** `base` after the promo; no (or an unknown) discount leaves it unchanged. */
export function discounted(base: string, { type, value }: Discount): string {
  if (value === null || (type !== "percent" && type !== "absolute")) {
    return canonicalAmount(base);
  }
  return applyDiscount(type, value, base);
}

/** Promo periods left after activation (period 1): none 0, perpetual −1, else N−1. */
export function periodsAfterActivation(total: number | null | undefined): number {
  if (!total) return 0;
  return total < 0 ? -1 : Math.max(total - 1, 0);
}

/** What the next period costs: discounted while promo periods remain, else the base. */
export function effectiveAmount(base: string, discount: Discount, remaining: number): string {
  return remaining !== 0 ? discounted(base, discount) : canonicalAmount(base);
}
