/**
 * Write-side SQL of the eSIM profile stock, run inside the caller's transaction and scoped to
 * the caller's tenant.
 *
 * @module
 */
import { currentCaller } from "../../kernel/context.ts";
import type { Sql } from "../../kernel/db/types.ts";
import { NotFound } from "../../kernel/errors.ts";
import { esimColumns, type EsimRow, type EsimState } from "./rows.ts";

/** The columns a transition may change. */
export interface EsimChange {
  profile_state: EsimState;
  assigned_msisdn: string | null;
  assigned_to_subscription_id: string | null;
  reserved_at: Date | null;
  downloaded_at: Date | null;
  activated_at: Date | null;
}

/** The profile, locked for this transaction; 404 when the tenant has no such profile. */
export async function lockEsim(tx: Sql, iccid: string): Promise<EsimRow> {
  const [row] = await tx<EsimRow[]>`
    select ${esimColumns(tx)} from inventory.esim_profile
    where iccid = ${iccid} and tenant_id = ${currentCaller().tenant}
    for update`;
  if (!row) throw new NotFound("Esim", iccid);
  return row;
}

/**
 * Reserves the available profile with the lowest ICCID; `SKIP LOCKED` passes over profiles
 * other transactions are taking, so no profile is ever handed out twice.
 */
export async function claimEsim(tx: Sql, at: Date): Promise<EsimRow | undefined> {
  const [row] = await tx<EsimRow[]>`
    update inventory.esim_profile set profile_state = 'reserved', reserved_at = ${at},
      updated_at = ${at}
    where iccid = (
      select iccid from inventory.esim_profile
      where tenant_id = ${currentCaller().tenant} and profile_state = 'available'
      order by iccid limit 1
      for update skip locked)
    returning ${esimColumns(tx)}`;
  return row;
}

/** Applies `change` to a profile this transaction has locked. */
export async function updateEsim(
  tx: Sql,
  iccid: string,
  at: Date,
  change: Partial<EsimChange>,
): Promise<EsimRow> {
  const [row] = await tx<EsimRow[]>`
    update inventory.esim_profile set ${tx({ ...change, updated_at: at })}
    where iccid = ${iccid} and tenant_id = ${currentCaller().tenant}
    returning ${esimColumns(tx)}`;
  return row;
}

/** The live profile other than `iccid` that holds `msisdn`, if any. */
export async function otherLiveHolder(
  tx: Sql,
  msisdn: string,
  iccid: string,
): Promise<string | undefined> {
  const [row] = await tx`
    select iccid from inventory.esim_profile
    where assigned_msisdn = ${msisdn} and iccid <> ${iccid}
      and profile_state not in ('available', 'recycled')`;
  return row?.iccid;
}

/** Unlinks `msisdn` from any profile still only reserved (its number went back to the pool). */
export async function unlinkReserved(tx: Sql, msisdn: string, at: Date): Promise<void> {
  await tx`
    update inventory.esim_profile set assigned_msisdn = null, updated_at = ${at}
    where assigned_msisdn = ${msisdn} and profile_state = 'reserved'`;
}
