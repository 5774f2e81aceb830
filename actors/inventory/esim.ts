/**
 * eSIM profile service functions (docs/domain.md §3 eSIM, §4.1; docs/decisions.md: reserved → downloaded →
 * activated on activation, recycled on termination). Each runs in one transaction; time is
 * the BSS clock.
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import type { Pool, Sql } from "../../kernel/db/types.ts";
import type { EsimTrigger } from "./esim_lifecycle.ts";
import { claimEsim, type EsimChange, lockEsim, otherLiveHolder, updateEsim } from "./esim_store.ts";
import { findForUpdate } from "./msisdn_store.ts";
import { assertEsimTransition, assertLinkable, requirePickedEsim } from "./policies.ts";
import type { EsimRow } from "./rows.ts";

/** Inside `tx`: reserves the lowest available profile (`esim.reserve.status_must_be_available`). */
export async function takeNextEsim(tx: Sql, at: Date): Promise<EsimRow> {
  return requirePickedEsim(await claimEsim(tx, at));
}

/** Reserves the available profile with the lowest ICCID. */
export async function reserveEsim(sql: Pool): Promise<EsimRow> {
  return await sql.begin((tx) => takeNextEsim(tx, clock.now()));
}

/** Inside `tx`: links reserved number `msisdn` to reserved profile `esim` (rules: policies). */
export async function linkMsisdn(
  tx: Sql,
  esim: EsimRow,
  msisdn: string,
  at: Date,
): Promise<EsimRow> {
  // Locking the number serialises two profiles racing for it; the holder check goes out with
  // the lock (one round trip) and runs once the lock is held.
  const [number, other] = await Promise.all([
    findForUpdate(tx, msisdn, at),
    otherLiveHolder(tx, msisdn, esim.iccid),
  ]);
  assertLinkable(esim, msisdn, number, other);
  return await updateEsim(tx, esim.iccid, at, { assigned_msisdn: msisdn });
}

/** Links a reserved number to a reserved profile (404 for an unknown profile). */
export async function assignEsimMsisdn(sql: Pool, iccid: string, msisdn: string): Promise<EsimRow> {
  return await sql.begin(async (tx) => {
    const at = clock.now();
    return await linkMsisdn(tx, await lockEsim(tx, iccid), msisdn, at);
  });
}

/** Moves a profile by `trigger` (`esim.transition.invalid`; 404 if unknown), then `change`. */
async function transition(
  sql: Pool,
  iccid: string,
  trigger: EsimTrigger,
  change: (at: Date, esim: EsimRow) => Partial<EsimChange>,
): Promise<EsimRow> {
  return await sql.begin(async (tx) => {
    const at = clock.now();
    const esim = await lockEsim(tx, iccid);
    const state = assertEsimTransition(esim, trigger);
    return await updateEsim(tx, iccid, at, { ...change(at, esim), profile_state: state });
  });
}

/** reserved → downloaded: the device fetched the profile. */
export function markEsimDownloaded(sql: Pool, iccid: string): Promise<EsimRow> {
  return transition(sql, iccid, "download", (at) => ({ downloaded_at: at }));
}

/** downloaded|suspended → activated, linked to `subscriptionId` when given. */
export function markEsimActivated(
  sql: Pool,
  iccid: string,
  { subscriptionId = null }: { subscriptionId?: string | null } = {},
): Promise<EsimRow> {
  return transition(sql, iccid, "activate", (at, esim) => ({
    activated_at: at,
    assigned_to_subscription_id: subscriptionId ?? esim.assigned_to_subscription_id,
  }));
}

/** → recycled (terminal): the line ended; the profile keeps its links as history. */
export function recycleEsim(sql: Pool, iccid: string): Promise<EsimRow> {
  return transition(sql, iccid, "recycle", () => ({}));
}

/** reserved → available: the reservation is undone and its fields cleared. */
export function releaseEsim(sql: Pool, iccid: string): Promise<EsimRow> {
  return transition(sql, iccid, "release", () => ({
    assigned_msisdn: null,
    assigned_to_subscription_id: null,
    reserved_at: null,
    downloaded_at: null,
    activated_at: null,
  }));
}
