/**
 * Offering reads that apply the versioning rules (docs/domain.md §6.1): the active price of an
 * offering at an instant, and the offerings on sale at an instant, cheapest first.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import { NotFound } from "../../kernel/errors.ts";
import type { Offering, PriceRow } from "./model.ts";
import { toCents } from "./money.ts";
import { requireActivePrice } from "./policies.ts";
import { lowestActivePrice } from "./pricing.ts";
import { activePriceRow, listOfferings, offeringExists, type Page } from "./queries.ts";

/**
 * The offering's lowest-amount recurring price active at `at` (tie: id). An unknown offering
 * is NotFound; one without such a price breaks `catalog.price.no_active_row`.
 */
export async function activePrice(sql: Sql, offeringId: string, at: Date): Promise<PriceRow> {
  const price = await activePriceRow(sql, offeringId, at);
  if (!price && !await offeringExists(sql, offeringId)) {
    throw new NotFound("ProductOffering", offeringId);
  }
  return requireActivePrice(price, offeringId, at);
}

/**
 * A page of the offerings sellable, `active` and in their window at `at`: the page is cut in
 * id order, then sorted by active price, cheapest first, unpriced last (docs/http.md §5).
 */
export async function offeringsOnSaleAt(sql: Sql, at: Date, page: Page): Promise<Offering[]> {
  const offerings = await listOfferings(sql, { ...page, sellableAt: at });
  const keyed = offerings.map((o) => {
    const price = lowestActivePrice(o.prices, at);
    return { o, cents: price ? toCents(price.amount) : null };
  });
  // Unpriced last; Array.sort is stable, so equal prices keep their id order.
  keyed.sort((a, b) => {
    if (a.cents === b.cents) return 0;
    if (a.cents === null) return 1;
    return b.cents === null || a.cents < b.cents ? -1 : 1;
  });
  return keyed.map((k) => k.o);
}
