/**
 * Catalog versioning (docs/domain.md §6.1) as pure functions: a row is active at `t` when its window
 * has started and not ended (`valid_to` exclusive); an offering's active price is its lowest
 * active recurring row, ties broken by id. `sql/0100_catalog.sql` (`catalog.active_at`) and
 * `activePriceRow` in `queries.ts` state the same rule in SQL; tests hold the two together.
 *
 * @module
 */
import type { PriceRow, Window } from "./model.ts";
import { toCents } from "./money.ts";

/** Whether `row`'s window contains `at`. */
export function isActiveAt(row: Window, at: Date): boolean {
  const t = at.getTime();
  return (row.valid_from === null || row.valid_from.getTime() <= t) &&
    (row.valid_to === null || row.valid_to.getTime() > t);
}

/** Orders prices by amount, then by id in byte order (as SQL's `collate "C"`). */
function cheaperFirst(a: PriceRow, b: PriceRow): number {
  const diff = toCents(a.amount) - toCents(b.amount);
  if (diff !== 0n) return diff < 0n ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The lowest-amount recurring price active at `at`, or undefined when none is. */
export function lowestActivePrice<P extends PriceRow>(
  prices: readonly P[],
  at: Date,
): P | undefined {
  return prices
    .filter((p) => p.price_type === "recurring" && isActiveAt(p, at))
    .sort(cheaperFirst)[0];
}
