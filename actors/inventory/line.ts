/**
 * A line's inventory in one step: one MSISDN and one eSIM profile reserved together and
 * linked, in one transaction, so an order never holds half a line. Both picks use
 * `FOR UPDATE SKIP LOCKED`, so concurrent orders never get the same number or profile; when
 * either pool is empty the whole reservation rolls back.
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import type { Pool } from "../../kernel/db/types.ts";
import { linkMsisdn, takeNextEsim } from "./esim.ts";
import { type ReserveNextOptions, takeNextMsisdn } from "./msisdn.ts";

/** A reserved line: the number and the profile it is linked to. */
export interface ReservedLine {
  msisdn: string;
  iccid: string;
  imsi: string;
  smdp_server: string | null;
  matching_id: string | null;
  activation_code: string | null;
  reserved_at: Date;
}

/**
 * Reserves the preferred number if free, else the lowest available one, and the lowest
 * available profile, linking them (`msisdn.reserve.no_available`,
 * `esim.reserve.status_must_be_available`).
 */
export async function reserveLine(
  sql: Pool,
  options: ReserveNextOptions = {},
): Promise<ReservedLine> {
  return await sql.begin(async (tx) => {
    const at = clock.now();
    const number = await takeNextMsisdn(tx, at, options);
    const esim = await linkMsisdn(tx, await takeNextEsim(tx, at), number.msisdn, at);
    return {
      msisdn: number.msisdn,
      iccid: esim.iccid,
      imsi: esim.imsi,
      smdp_server: esim.smdp_server,
      matching_id: esim.matching_id,
      activation_code: esim.activation_code,
      reserved_at: at,
    };
  });
}
