/**
 * Wire shapes of the inventory API (docs/http.md §6.5, snake_case, no `@type`): the models the
 * routes reply with, the inputs they share, and the row → wire conversions.
 *
 * @module
 */
import { z } from "zod";
import { paging } from "../paging.ts";
import type { ReservedLine as ReservedLineRow } from "../../actors/inventory/line.ts";
import {
  ESIM_STATES,
  type EsimRow,
  MSISDN_STATUSES,
  type MsisdnRow,
} from "../../actors/inventory/rows.ts";

/** The API prefix. */
export const BASE = "/inventory-api/v1";

const instant = z.iso.datetime({ offset: true });
const when = (d: Date | null) => d?.toISOString() ?? null;

/** A phone number as a path or body value: 4–15 digits. */
export const MsisdnValue = z.string().regex(/^[0-9]{4,15}$/, "an MSISDN is 4–15 digits");
/** An ICCID as a path value: 18–22 digits. */
export const IccidValue = z.string().regex(/^[0-9]{18,22}$/, "an ICCID is 18–22 digits");
/** A subscription id a number or profile is linked to. */
export const SubscriptionIdValue = z.string().trim().min(1).max(64);

/** `limit` (1–1000, default 20) and `offset` (default 0) of the list routes. */
export const PageQuery = z.object(paging(20));

/** A number of the pool. `quarantine_until` is set while (and after) it rested. */
export const Msisdn = z.object({
  msisdn: z.string(),
  status: z.enum(MSISDN_STATUSES),
  reserved_at: instant.nullable(),
  assigned_to_subscription_id: z.string().nullable(),
  quarantine_until: instant.nullable(),
});

/** An eSIM profile (activation data: `GET /esim/{iccid}/activation`). */
export const Esim = z.object({
  iccid: z.string(),
  imsi: z.string(),
  profile_state: z.enum(ESIM_STATES),
  smdp_server: z.string().nullable(),
  assigned_msisdn: z.string().nullable(),
  assigned_to_subscription_id: z.string().nullable(),
  reserved_at: instant.nullable(),
  downloaded_at: instant.nullable(),
  activated_at: instant.nullable(),
});

/** A number and a profile reserved together. */
export const ReservedLine = z.object({
  msisdn: z.string(),
  iccid: z.string(),
  imsi: z.string(),
  smdp_server: z.string().nullable(),
  matching_id: z.string().nullable(),
  activation_code: z.string().nullable(),
  reserved_at: instant,
});

/** The wire form of a number. */
export function msisdnWire(row: MsisdnRow): z.input<typeof Msisdn> {
  return {
    msisdn: row.msisdn,
    status: row.status,
    reserved_at: when(row.reserved_at),
    assigned_to_subscription_id: row.assigned_to_subscription_id,
    quarantine_until: when(row.quarantine_until),
  };
}

/** The wire form of a profile. */
export function esimWire(row: EsimRow): z.input<typeof Esim> {
  return {
    iccid: row.iccid,
    imsi: row.imsi,
    profile_state: row.profile_state,
    smdp_server: row.smdp_server,
    assigned_msisdn: row.assigned_msisdn,
    assigned_to_subscription_id: row.assigned_to_subscription_id,
    reserved_at: when(row.reserved_at),
    downloaded_at: when(row.downloaded_at),
    activated_at: when(row.activated_at),
  };
}

/** The wire form of a reserved line. */
export function lineWire(line: ReservedLineRow): z.input<typeof ReservedLine> {
  return { ...line, reserved_at: line.reserved_at.toISOString() };
}
