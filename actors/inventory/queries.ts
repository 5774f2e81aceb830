/**
 * Inventory reads, scoped to the caller's tenant: list and count numbers (by status, prefix
 * and golden pattern), list profiles, one number, one profile, a profile's activation data.
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import { currentCaller } from "../../kernel/context.ts";
import type { Sql } from "../../kernel/db/types.ts";
import { NotFound } from "../../kernel/errors.ts";
import { GOLDEN_PATTERNS, type GoldenPattern } from "./golden.ts";
import {
  esimColumns,
  type EsimRow,
  type EsimState,
  msisdnColumns,
  type MsisdnRow,
  type MsisdnStatus,
  msisdnStatusAt,
} from "./rows.ts";

/** A page of a list. */
export interface Page {
  limit: number;
  offset: number;
}

/** Filters of the number list; all optional, ANDed. */
export interface MsisdnFilter extends Page {
  status?: MsisdnStatus;
  prefix?: string;
  pattern?: GoldenPattern;
}

/** Numbers per status (all keys present), the total, and the prefix counted under. */
export type MsisdnCount = Record<MsisdnStatus, number> & { total: number; prefix: string | null };

/** What a device needs to download a profile. */
export interface EsimActivation {
  iccid: string;
  activation_code: string | null;
  smdp_server: string | null;
  matching_id: string | null;
}

/** Numbers in number order. */
export async function listMsisdns(sql: Sql, f: MsisdnFilter): Promise<MsisdnRow[]> {
  const at = clock.now();
  const where = [
    sql`tenant_id = ${currentCaller().tenant}`,
    ...f.status ? [sql`${msisdnStatusAt(sql, at)} = ${f.status}`] : [],
    ...f.prefix ? [sql`starts_with(msisdn, ${f.prefix})`] : [],
    ...f.pattern ? [sql`msisdn ~ ${GOLDEN_PATTERNS[f.pattern]}`] : [],
  ].reduce((acc, cond) => sql`${acc} and ${cond}`);
  return await sql<MsisdnRow[]>`
    select ${msisdnColumns(sql, at)} from inventory.msisdn_pool where ${where}
    order by msisdn limit ${f.limit} offset ${f.offset}`;
}

/** How many numbers (starting with `prefix`, when given) are in each status now. */
export async function countMsisdns(sql: Sql, prefix: string | null): Promise<MsisdnCount> {
  const [row] = await sql`
    select
      count(*) filter (where status = 'available')::int as available,
      count(*) filter (where status = 'reserved')::int as reserved,
      count(*) filter (where status = 'assigned')::int as assigned,
      count(*) filter (where status = 'quarantine')::int as quarantine,
      count(*) filter (where status = 'ported_out')::int as ported_out,
      count(*)::int as total
    from (select ${msisdnStatusAt(sql, clock.now())} as status from inventory.msisdn_pool
      where tenant_id = ${currentCaller().tenant}
        and (${prefix}::text is null or starts_with(msisdn, ${prefix}))) as pool`;
  return { ...row, prefix } as MsisdnCount;
}

/** One number; 404 when the tenant has none such. */
export async function getMsisdn(sql: Sql, msisdn: string): Promise<MsisdnRow> {
  const [row] = await sql<MsisdnRow[]>`
    select ${msisdnColumns(sql, clock.now())} from inventory.msisdn_pool
    where msisdn = ${msisdn} and tenant_id = ${currentCaller().tenant}`;
  if (!row) throw new NotFound("Msisdn", msisdn);
  return row;
}

/** Profiles in ICCID order, optionally in one state. */
export async function listEsims(
  sql: Sql,
  f: Page & { status?: EsimState },
): Promise<EsimRow[]> {
  return await sql<EsimRow[]>`
    select ${esimColumns(sql)} from inventory.esim_profile
    where tenant_id = ${currentCaller().tenant}
      and (${f.status ?? null}::text is null or profile_state = ${f.status ?? null})
    order by iccid limit ${f.limit} offset ${f.offset}`;
}

/** How many eSIM profiles the tenant holds, in any state. */
export async function countEsims(sql: Sql): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n
    from inventory.esim_profile where tenant_id = ${currentCaller().tenant}`;
  return n;
}

/** One profile; 404 when the tenant has none such. */
export async function getEsim(sql: Sql, iccid: string): Promise<EsimRow> {
  const [row] = await sql<EsimRow[]>`
    select ${esimColumns(sql)} from inventory.esim_profile
    where iccid = ${iccid} and tenant_id = ${currentCaller().tenant}`;
  if (!row) throw new NotFound("Esim", iccid);
  return row;
}

/** The LPA activation data of a profile; 404 when unknown. */
export async function esimActivation(sql: Sql, iccid: string): Promise<EsimActivation> {
  const { activation_code, smdp_server, matching_id } = await getEsim(sql, iccid);
  return { iccid, activation_code, smdp_server, matching_id };
}
