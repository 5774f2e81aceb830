/**
 * Inventory rows as the service functions return them, their state vocabularies (docs/domain.md §3),
 * and the column lists every query selects them with.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";

/** MSISDN statuses; `quarantine` ends by itself at `quarantine_until`. */
export const MSISDN_STATUSES = [
  "available",
  "reserved",
  "assigned",
  "quarantine",
  "ported_out",
] as const;

/** One MSISDN status. */
export type MsisdnStatus = typeof MSISDN_STATUSES[number];

/** eSIM profile states; `recycled` is terminal. */
export const ESIM_STATES = [
  "available",
  "reserved",
  "downloaded",
  "activated",
  "suspended",
  "recycled",
] as const;

/** One eSIM profile state. */
export type EsimState = typeof ESIM_STATES[number];

/** A number of the pool, with the status it has at the instant it was read. */
export interface MsisdnRow {
  msisdn: string;
  status: MsisdnStatus;
  reserved_at: Date | null;
  assigned_to_subscription_id: string | null;
  quarantine_until: Date | null;
}

/** An eSIM profile (never its `ki_ref`). */
export interface EsimRow {
  iccid: string;
  imsi: string;
  profile_state: EsimState;
  smdp_server: string | null;
  matching_id: string | null;
  activation_code: string | null;
  assigned_msisdn: string | null;
  assigned_to_subscription_id: string | null;
  reserved_at: Date | null;
  downloaded_at: Date | null;
  activated_at: Date | null;
}

/** The status of a number at `at`, as an SQL expression (an expired quarantine is available). */
export function msisdnStatusAt(sql: Sql, at: Date) {
  return sql`inventory.msisdn_status_at(status, quarantine_until, ${at})`;
}

/** The select list of {@link MsisdnRow} at instant `at`. */
export function msisdnColumns(sql: Sql, at: Date) {
  return sql`msisdn, ${msisdnStatusAt(sql, at)} as status, reserved_at,
    assigned_to_subscription_id, quarantine_until`;
}

/** The select list of {@link EsimRow}. */
export function esimColumns(sql: Sql) {
  return sql`iccid, imsi, profile_state, smdp_server, matching_id, activation_code,
    assigned_msisdn, assigned_to_subscription_id, reserved_at, downloaded_at, activated_at`;
}
