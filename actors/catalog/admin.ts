/**
 * Catalog administration (docs/http.md §5 "/admin/catalog"): add an offering, add a price, set an
 * offering's window. Each checks `catalog.admin_only`, writes in one transaction, and emits
 * no event (the spec's event catalogue has none for the catalog).
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import type { Pool, Sql } from "../../kernel/db/types.ts";
import { NotFound } from "../../kernel/errors.ts";
import { ALLOWANCE_UNITS, type AllowanceType, type Offering, type PriceRow } from "./model.ts";
import { requireAdmin, requireNewOffering, requireNewPrice } from "./policies.ts";
import { findOffering, findPrice, findSpecification } from "./queries.ts";
import { ALLOWANCE_SUFFIX } from "./reference_data.ts";
import { mapToMobileBroadband } from "./seed.ts";

/** A validity window to set; a missing bound is open. */
export interface WindowInput {
  validFrom: Date | null;
  validTo: Date | null;
}

/** A new offering: a sellable active bundle with one monthly recurring price. */
export interface NewOffering extends WindowInput {
  offeringId: string;
  name: string;
  specId: string;
  /** Decimal string, e.g. `"25.00"`. */
  amount: string;
  currency: string;
  /** Default `PRICE_<offeringId>`. */
  priceId: string | null;
  /** Allowance quantities; an absent (or null) one gets no row, -1 is unlimited. */
  allowances: Partial<Record<AllowanceType, number | null>>;
}

/** A new price row on an existing offering. */
export interface NewPrice extends WindowInput {
  priceId: string;
  amount: string;
  currency: string;
  /** Close every open-ended price of the offering at `validFrom` (or now). */
  retireCurrent: boolean;
}

/** Inserts a monthly recurring price; false when the id is taken. */
async function insertPrice(
  sql: Sql,
  offeringId: string,
  p: Pick<NewPrice, "priceId" | "amount" | "currency" | "validFrom" | "validTo">,
): Promise<boolean> {
  const rows = await sql`
    insert into catalog.product_offering_price (id, offering_id, price_type,
      recurring_period_length, recurring_period_type, amount, currency, valid_from, valid_to)
    values (${p.priceId}, ${offeringId}, 'recurring', 1, 'month', ${p.amount}, ${p.currency},
      ${p.validFrom}, ${p.validTo})
    on conflict (id) do nothing returning id`;
  return rows.length === 1;
}

/** The offering after a write in `sql` (it exists: the write just touched it). */
async function reread(sql: Sql, offeringId: string): Promise<Offering> {
  return (await findOffering(sql, offeringId))!;
}

/**
 * Adds an offering with its price (windowed like the offering), its allowance rows
 * `BA_<id>_DATA|VOICE|SMS|ROAM`, and the mobile-broadband service mapping SOM decomposes by.
 * Rules: `catalog.admin_only`, `catalog.offering.already_exists`,
 * `catalog.price.already_exists`; an unknown specification is NotFound.
 */
export async function addOffering(sql: Pool, actor: string, o: NewOffering): Promise<Offering> {
  requireAdmin(actor);
  return await sql.begin(async (tx) => {
    if (!await findSpecification(tx, o.specId)) {
      throw new NotFound("ProductSpecification", o.specId);
    }
    const inserted = await tx`
      insert into catalog.product_offering (id, name, spec_id, is_bundle, is_sellable,
        lifecycle_status, valid_from, valid_to)
      values (${o.offeringId}, ${o.name}, ${o.specId}, true, true, 'active', ${o.validFrom},
        ${o.validTo})
      on conflict (id) do nothing returning id`;
    requireNewOffering(inserted.length === 1, o.offeringId);
    const priceId = o.priceId ?? `PRICE_${o.offeringId}`;
    requireNewPrice(await insertPrice(tx, o.offeringId, { ...o, priceId }), priceId);
    const allowances = (Object.entries(o.allowances) as [AllowanceType, number | null][])
      .filter(([, quantity]) => quantity !== null && quantity !== undefined)
      .map(([type, quantity]) => ({
        id: `BA_${o.offeringId}_${ALLOWANCE_SUFFIX[type]}`,
        offering_id: o.offeringId,
        allowance_type: type,
        quantity,
        unit: ALLOWANCE_UNITS[type],
      }));
    if (allowances.length) await tx`insert into catalog.bundle_allowance ${tx(allowances)}`;
    await mapToMobileBroadband(tx, [o.offeringId]);
    return await reread(tx, o.offeringId);
  });
}

/**
 * Overwrites both bounds of an offering's window (a missing bound becomes open).
 * Rules: `catalog.admin_only`; an unknown offering is NotFound.
 */
export async function windowOffering(
  sql: Pool,
  actor: string,
  offeringId: string,
  w: WindowInput,
): Promise<Offering> {
  requireAdmin(actor);
  return await sql.begin(async (tx) => {
    const updated = await tx`
      update catalog.product_offering
      set valid_from = ${w.validFrom}, valid_to = ${w.validTo}, updated_at = ${clock.now()}
      where id = ${offeringId} returning id`;
    if (updated.length === 0) throw new NotFound("ProductOffering", offeringId);
    return await reread(tx, offeringId);
  });
}

/**
 * Adds a monthly recurring price to an offering. With `retireCurrent`, every other
 * open-ended price of the offering ends at the new price's start (or now); one that had not
 * started by then ends where it starts, so it never applies.
 * Rules: `catalog.admin_only`, `catalog.price.already_exists`; an unknown offering is NotFound.
 */
export async function addPrice(
  sql: Pool,
  actor: string,
  offeringId: string,
  p: NewPrice,
): Promise<PriceRow> {
  requireAdmin(actor);
  return await sql.begin(async (tx) => {
    // The lock orders concurrent price changes of one offering.
    const [offering] = await tx`
      select 1 from catalog.product_offering where id = ${offeringId} for update`;
    if (!offering) throw new NotFound("ProductOffering", offeringId);
    requireNewPrice(await insertPrice(tx, offeringId, p), p.priceId);
    if (p.retireCurrent) {
      const cut = p.validFrom ?? clock.now();
      await tx`
        update catalog.product_offering_price
        set valid_to = greatest(${cut}, valid_from), updated_at = ${clock.now()}
        where offering_id = ${offeringId} and valid_to is null and id <> ${p.priceId}`;
    }
    return (await findPrice(tx, p.priceId))!;
  });
}
