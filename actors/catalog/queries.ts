/**
 * Catalog reads. Lists are in id order (byte order, `collate "C"`, so every database sorts
 * alike); an offering always comes with every price row and allowance it owns.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import type {
  AllowanceRow,
  Offering,
  OfferingRow,
  PriceRow,
  PromotionRow,
  PromotionState,
  ServiceMapping,
  ServiceSpecificationRow,
  SpecificationRow,
  VasRow,
} from "./model.ts";

/** A page of a list. */
export interface Page {
  limit: number;
  offset: number;
}

const OFFERING = (sql: Sql) =>
  sql`select o.id, o.name, o.spec_id, s.name as spec_name, o.is_bundle, o.is_sellable,
      o.lifecycle_status, o.valid_from, o.valid_to
    from catalog.product_offering o
    left join catalog.product_specification s on s.id = o.spec_id`;

const PRICE = (sql: Sql) =>
  sql`select id, offering_id, price_type, recurring_period_length, recurring_period_type, amount,
      currency, valid_from, valid_to
    from catalog.product_offering_price`;

/** Attaches their prices (by id) and allowances (data, voice, sms, data_roaming) to `rows`. */
async function withChildren(sql: Sql, rows: OfferingRow[]): Promise<Offering[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const prices = await sql<PriceRow[]>`${PRICE(sql)} where offering_id = any(${ids})
    order by id collate "C"`;
  const allowances = await sql<AllowanceRow[]>`
    select id, offering_id, allowance_type, quantity, unit
    from catalog.bundle_allowance where offering_id = any(${ids})
    order by array_position(array['data', 'voice', 'sms', 'data_roaming'], allowance_type),
      id collate "C"`;
  return rows.map((row) => ({
    ...row,
    prices: prices.filter((p) => p.offering_id === row.id),
    allowances: allowances.filter((a) => a.offering_id === row.id),
  }));
}

/** One offering, or undefined. */
export async function findOffering(sql: Sql, id: string): Promise<Offering | undefined> {
  const rows = await sql<OfferingRow[]>`${OFFERING(sql)} where o.id = ${id}`;
  return (await withChildren(sql, [...rows]))[0];
}

/** Which offerings a list takes: those with `lifecycleStatus`, or those on sale `sellableAt`. */
export interface OfferingFilter {
  lifecycleStatus?: string;
  /** Sellable, `active` and inside their window at this instant. */
  sellableAt?: Date;
}

const offeringsWhere = (sql: Sql, f: OfferingFilter) =>
  sql`(${f.lifecycleStatus ?? null}::text is null or o.lifecycle_status = ${
    f.lifecycleStatus ?? null
  }) and (${f.sellableAt ?? null}::timestamptz is null or (o.is_sellable
    and o.lifecycle_status = 'active' and catalog.active_at(o.valid_from, o.valid_to, ${
    f.sellableAt ?? null
  })))`;

/** A page of the offerings `filter` takes, in id order. */
export async function listOfferings(
  sql: Sql,
  page: Page & OfferingFilter,
): Promise<Offering[]> {
  const rows = await sql<OfferingRow[]>`${OFFERING(sql)} where ${offeringsWhere(sql, page)}
    order by o.id collate "C" limit ${page.limit} offset ${page.offset}`;
  return await withChildren(sql, [...rows]);
}

/** How many offerings `filter` takes. */
export async function countOfferings(sql: Sql, filter: OfferingFilter): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n
    from catalog.product_offering o where ${offeringsWhere(sql, filter)}`;
  return n;
}

/** One price row by id, whatever its window. */
export async function findPrice(sql: Sql, id: string): Promise<PriceRow | undefined> {
  const [row] = await sql<PriceRow[]>`${PRICE(sql)} where id = ${id}`;
  return row;
}

/** The offering's lowest-amount recurring price active at `at` (tie: id), or undefined. */
export async function activePriceRow(
  sql: Sql,
  offeringId: string,
  at: Date,
): Promise<PriceRow | undefined> {
  const [row] = await sql<PriceRow[]>`${PRICE(sql)}
    where offering_id = ${offeringId} and price_type = 'recurring'
      and catalog.active_at(valid_from, valid_to, ${at})
    order by amount, id collate "C" limit 1`;
  return row;
}

/** Whether an offering with `id` exists. */
export async function offeringExists(sql: Sql, id: string): Promise<boolean> {
  const [row] = await sql`select 1 from catalog.product_offering where id = ${id}`;
  return row !== undefined;
}

const SPECIFICATION = (sql: Sql) =>
  sql`select id, name, description, brand, lifecycle_status from catalog.product_specification`;

/** A page of product specifications. */
export async function listSpecifications(sql: Sql, page: Page): Promise<SpecificationRow[]> {
  return [
    ...await sql<SpecificationRow[]>`
      ${SPECIFICATION(sql)} order by id collate "C" limit ${page.limit} offset ${page.offset}`,
  ];
}

/** How many product specifications there are. */
export async function countSpecifications(sql: Sql): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`
    select count(*)::int as n from catalog.product_specification`;
  return n;
}

/** One product specification, or undefined. */
export async function findSpecification(
  sql: Sql,
  id: string,
): Promise<SpecificationRow | undefined> {
  const [row] = await sql<SpecificationRow[]>`${SPECIFICATION(sql)} where id = ${id}`;
  return row;
}

const VAS = (sql: Sql) =>
  sql`select id, name, price_amount, currency, allowance_type, allowance_quantity, allowance_unit,
      expiry_hours
    from catalog.vas_offering`;

/** A page of VAS offerings. */
export async function listVas(sql: Sql, page: Page): Promise<VasRow[]> {
  return [
    ...await sql<VasRow[]>`
      ${VAS(sql)} order by id collate "C" limit ${page.limit} offset ${page.offset}`,
  ];
}

/** One VAS offering, or undefined. */
export async function findVas(sql: Sql, id: string): Promise<VasRow | undefined> {
  const [row] = await sql<VasRow[]>`${VAS(sql)} where id = ${id}`;
  return row;
}

/** The CFS and RFS specifications `offeringId` decomposes into, or undefined when unmapped. */
export async function findServiceMapping(
  sql: Sql,
  offeringId: string,
): Promise<ServiceMapping | undefined> {
  const [mapping] = await sql<{ cfs_spec_id: string; rfs_spec_ids: string[] }[]>`
    select cfs_spec_id, rfs_spec_ids from catalog.product_to_service_mapping
    where offering_id = ${offeringId}`;
  if (!mapping) return undefined;
  const specs = await sql<ServiceSpecificationRow[]>`
    select id, name, type, parameters from catalog.service_specification
    where id = any(${[mapping.cfs_spec_id, ...mapping.rfs_spec_ids]})`;
  const spec = (id: string) => {
    const found = specs.find((s) => s.id === id);
    // rfs_spec_ids is an array, so no foreign key guards it: a dangling id is corrupt data.
    if (!found) throw new Error(`service specification ${id} (mapped by ${offeringId}) is missing`);
    return found;
  };
  return {
    offering_id: offeringId,
    cfs: spec(mapping.cfs_spec_id),
    rfs: mapping.rfs_spec_ids.map(spec),
  };
}

const PROMOTION = (sql: Sql) =>
  sql`select id, name, code, audience, offer_definition_id, discount_type, discount_value,
      currency, applicable_offering_ids, duration_kind, periods_total, valid_from, valid_to,
      state, created_by
    from catalog.promotion`;

/** A page of promotions, optionally only those in `state`. */
export async function listPromotions(
  sql: Sql,
  page: Page & { state?: PromotionState },
): Promise<PromotionRow[]> {
  return [
    ...await sql<PromotionRow[]>`${PROMOTION(sql)}
      where ${page.state === undefined ? sql`true` : sql`state = ${page.state}`}
      order by id collate "C" limit ${page.limit} offset ${page.offset}`,
  ];
}

/** One promotion, or undefined; `forUpdate` locks its row for the transaction. */
export async function findPromotion(
  sql: Sql,
  id: string,
  { forUpdate = false } = {},
): Promise<PromotionRow | undefined> {
  const [row] = await sql<PromotionRow[]>`${PROMOTION(sql)} where id = ${id}
    ${forUpdate ? sql`for update` : sql``}`;
  return row;
}

/** The promotion holding promo code `code`, or undefined. */
export async function findPromotionByCode(
  sql: Sql,
  code: string,
): Promise<PromotionRow | undefined> {
  const [row] = await sql<PromotionRow[]>`${PROMOTION(sql)} where code = ${code}`;
  return row;
}
