/**
 * A line's inventory in one step: one MSISDN and one eSIM profile reserved together and
 * linked, in one transaction, so an order never holds half a line. Both picks use
 * `FOR UPDATE SKIP LOCKED`, so concurrent orders never get the same number or profile; when
 * either pool is empty the whole reservation rolls back.
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import { startNow } from "../../kernel/db/types.ts";
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

/** Options of a line reservation: a preferred number, and who holds the line. */
export interface ReserveLineOptions extends ReserveNextOptions {
  /** The holder (a commercial order id): its line, if it holds one, is answered again. */
  holder?: string | null;
}

/**
 * Reserves the preferred number if free, else the lowest available one, and the lowest
 * available profile, linking them (`msisdn.reserve.no_available`,
 * `esim.reserve.status_must_be_available`). A holder that already holds a reserved line
 * gets that line back, so a retried reservation never takes a second one.
 */
export async function reserveLine(
  sql: Pool,
  { holder = null, ...options }: ReserveLineOptions = {},
): Promise<ReservedLine> {
  return await sql.begin(async (tx) => {
    const at = clock.now();
    if (holder !== null) {
      // The held-line read goes out with the lock (one round trip) and runs once it is held.
      const [, [held]] = await Promise.all([
        startNow(
          tx`select pg_advisory_xact_lock(hashtextextended(${`inventory.line:${holder}`}, 0))`,
        ),
        startNow(tx<ReservedLine[]>`
          select m.msisdn, e.iccid, e.imsi, e.smdp_server, e.matching_id, e.activation_code,
            m.reserved_at
          from inventory.msisdn_pool m
          join inventory.esim_profile e
            on e.assigned_msisdn = m.msisdn and e.profile_state = 'reserved'
          where m.reserved_for = ${holder} and m.status = 'reserved'`),
      ]);
      if (held) return held;
    }
    // The profile only once a number is ours: a claim that then fails would hold a profile
    // others skip (SKIP LOCKED) until it rolls back.
    const number = await takeNextMsisdn(tx, at, options);
    const picked = await takeNextEsim(tx, at);
    const [esim] = await Promise.all([
      linkMsisdn(tx, picked, number.msisdn, at),
      startNow(tx`
        update inventory.msisdn_pool set reserved_for = ${holder} where msisdn = ${number.msisdn}`),
    ]);
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
