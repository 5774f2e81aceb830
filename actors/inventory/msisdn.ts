/**
 * MSISDN pool service functions (docs/domain.md §3 MSISDN, §4.1; docs/decisions.md): reserve a given number
 * or the next one, assign, release into quarantine, add a range. Each runs in one
 * transaction with its events; time is the BSS clock.
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import type { Pool, Sql } from "../../kernel/db/types.ts";
import { emit } from "../../kernel/events.ts";
import { unlinkReserved } from "./esim_store.ts";
import { claimMsisdn, insertRange, lockMsisdn, updateMsisdn } from "./msisdn_store.ts";
import {
  assertAssignable,
  assertReleasable,
  assertReservable,
  assertSaneRange,
  requirePickedMsisdn,
} from "./policies.ts";
import { type PoolLowOptions, reportPoolLow } from "./pool_low.ts";
import type { MsisdnRow } from "./rows.ts";

/** Days a released subscriber number rests before it is handed out again (docs/decisions.md). */
export const QUARANTINE_DAYS = 90;
const DAY_MS = 86_400_000;

/** Options of reserve-next: a number the caller would like, if it is free. */
export interface ReserveNextOptions extends PoolLowOptions {
  preference?: string | null;
}

/** What `add-range` reports. */
export interface RangeAdded {
  prefix: string;
  count: number;
  inserted: number;
  skipped: number;
  first: string;
  last: string;
}

/** Reserves number `msisdn` (`msisdn.reserve.status_must_be_available`; 404 if unknown). */
export async function reserveMsisdn(
  sql: Pool,
  msisdn: string,
  options: PoolLowOptions = {},
): Promise<MsisdnRow> {
  return await sql.begin(async (tx) => {
    const at = clock.now();
    assertReservable(await lockMsisdn(tx, msisdn, at));
    const row = await updateMsisdn(tx, msisdn, at, {
      status: "reserved",
      reserved_at: at,
      assigned_to_subscription_id: null,
      quarantine_until: null,
    });
    await reportPoolLow(tx, at, options);
    return row;
  });
}

/**
 * Inside `tx`: reserves the preferred number when it is available, else the lowest available
 * one (`msisdn.reserve.no_available` when none is), then checks the low watermark.
 */
export async function takeNextMsisdn(
  tx: Sql,
  at: Date,
  { preference = null, ...options }: ReserveNextOptions,
): Promise<MsisdnRow> {
  const preferred = preference === null ? undefined : await claimMsisdn(tx, at, preference);
  const row = preferred ?? await claimMsisdn(tx, at);
  const taken = requirePickedMsisdn(row, preference);
  await reportPoolLow(tx, at, options);
  return taken;
}

/** Reserves the preferred number if free, else the lowest available one. */
export async function reserveNextMsisdn(
  sql: Pool,
  options: ReserveNextOptions = {},
): Promise<MsisdnRow> {
  return await sql.begin((tx) => takeNextMsisdn(tx, clock.now(), options));
}

/**
 * Assigns a reserved number to a subscription (`msisdn.assign.must_be_reserved`; 404 if
 * unknown). Re-assigning to the holder it already has is a no-op.
 */
export async function assignMsisdn(
  sql: Pool,
  msisdn: string,
  { subscriptionId = null }: { subscriptionId?: string | null } = {},
): Promise<MsisdnRow> {
  return await sql.begin(async (tx) => {
    const at = clock.now();
    const row = await lockMsisdn(tx, msisdn, at);
    assertAssignable(row, subscriptionId);
    return await updateMsisdn(tx, msisdn, at, {
      status: "assigned",
      assigned_to_subscription_id: subscriptionId ?? row.assigned_to_subscription_id,
    });
  });
}

/**
 * Releases a number (`msisdn.release.terminal_status`,
 * `msisdn.release.only_if_reserved_or_assigned`; 404 if unknown). An assigned number served a
 * subscriber, so it rests in quarantine for {@link QUARANTINE_DAYS}; a number that was only
 * reserved (an order that never activated) goes straight back to the pool. Any profile still
 * merely reserved with it lets go of it.
 */
export async function releaseMsisdn(sql: Pool, msisdn: string): Promise<MsisdnRow> {
  return await sql.begin(async (tx) => {
    const at = clock.now();
    const row = await lockMsisdn(tx, msisdn, at);
    assertReleasable(row);
    await unlinkReserved(tx, msisdn, at);
    const served = row.status === "assigned";
    return await updateMsisdn(tx, msisdn, at, {
      status: served ? "quarantine" : "available",
      quarantine_until: served ? new Date(at.getTime() + QUARANTINE_DAYS * DAY_MS) : null,
      reserved_at: null,
      assigned_to_subscription_id: null,
    });
  });
}

/**
 * Adds `<prefix><i:04d>` for i = 0..count-1 as available (`msisdn.add_range.sane_prefix`).
 * Numbers that already exist, whatever their status, are kept and counted as skipped, so
 * replaying or overlapping a range is harmless. Emits `inventory.msisdn.range_added`.
 */
export async function addMsisdnRange(
  sql: Pool,
  prefix: string,
  count: number,
): Promise<RangeAdded> {
  assertSaneRange(prefix, count);
  return await sql.begin(async (tx) => {
    const inserted = await insertRange(tx, prefix, count, clock.now());
    const number = (i: number) => `${prefix}${String(i).padStart(4, "0")}`;
    const added = {
      prefix,
      count,
      inserted,
      skipped: count - inserted,
      first: number(0),
      last: number(count - 1),
    };
    await emit(tx, {
      type: "inventory.msisdn.range_added",
      aggregateType: "msisdn_pool",
      aggregateId: prefix,
      payload: { ...added },
    });
    return added;
  });
}
