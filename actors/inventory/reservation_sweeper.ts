/**
 * The abandoned-reservation sweeper: a line reserved longer than the TTL whose holder no
 * longer wants it (the holder's order is finished or unknown, or there is no holder) goes
 * back to the pool — the number `available`, its reserved profile released — with an
 * `inventory.reservation.expired` event (and its audit row) per line. Each line is checked
 * and freed in one transaction under the number's row lock, so a line bound meanwhile (it
 * is then `assigned`) is never touched. Time is the BSS clock. Each release is a trace of its
 * own, linked to the trace that reserved the line.
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import type { Pool } from "../../kernel/db/types.ts";
import { emit } from "../../kernel/events.ts";
import { log } from "../../kernel/log.ts";
import { inLinkedTrace } from "../../kernel/telemetry/links.ts";
import { unlinkReserved } from "./esim_store.ts";

/** How the sweeper judges a reservation. */
export interface ReservationSweep {
  /** A reservation younger than this is left alone. */
  ttlSeconds: number;
  /** Whether the holder (a commercial order id) still wants its line; errors keep it. */
  holderWantsLine(holder: string): Promise<boolean>;
}

interface Stale {
  msisdn: string;
  reserved_for: string | null;
  reserved_at: Date;
  reserved_traceparent: string | null;
}

/** Frees the abandoned reservations; returns their numbers. */
export async function sweepAbandonedReservations(
  sql: Pool,
  sweep: ReservationSweep,
): Promise<string[]> {
  const cutoff = new Date(clock.now().getTime() - sweep.ttlSeconds * 1000);
  const stale = await sql<Stale[]>`
    select msisdn, reserved_for, reserved_at, reserved_traceparent from inventory.msisdn_pool
    where status = 'reserved' and reserved_at < ${cutoff} order by reserved_at limit 500`;
  const freed: string[] = [];
  for (const line of stale) {
    if (line.reserved_for && await wanted(sweep, line.reserved_for)) continue;
    const attributes = { "bss.service": "inventory", "bss.msisdn": line.msisdn };
    const released = await inLinkedTrace(
      "inventory reservation-sweep",
      line.reserved_traceparent,
      attributes,
      () => free(sql, line, cutoff),
    );
    if (released) freed.push(line.msisdn);
  }
  return freed;
}

async function wanted(sweep: ReservationSweep, holder: string): Promise<boolean> {
  try {
    return await sweep.holderWantsLine(holder);
  } catch (e) {
    log.warn("inventory.reservation.holder_unknown", { holder, error: String(e) });
    return true;
  }
}

/** Frees one line if it is still reserved as seen; false when it moved on meanwhile. */
function free(sql: Pool, line: Stale, cutoff: Date): Promise<boolean> {
  return sql.begin(async (tx) => {
    const at = clock.now();
    const [still] = await tx`
      select 1 from inventory.msisdn_pool
      where msisdn = ${line.msisdn} and status = 'reserved' and reserved_at < ${cutoff}
      for update`;
    if (!still) return false;
    const profiles = await tx<{ iccid: string }[]>`
      update inventory.esim_profile set profile_state = 'available', assigned_msisdn = null,
        assigned_to_subscription_id = null, reserved_at = null, updated_at = ${at}
      where assigned_msisdn = ${line.msisdn} and profile_state = 'reserved'
      returning iccid`;
    await unlinkReserved(tx, line.msisdn, at);
    await tx`
      update inventory.msisdn_pool set status = 'available', reserved_at = null,
        reserved_for = null, updated_at = ${at}
      where msisdn = ${line.msisdn}`;
    await emit(tx, {
      type: "inventory.reservation.expired",
      aggregateType: "msisdn",
      aggregateId: line.msisdn,
      payload: {
        msisdn: line.msisdn,
        iccid: profiles[0]?.iccid ?? null,
        reservedFor: line.reserved_for,
        reservedAt: line.reserved_at.toISOString(),
      },
    });
    return true;
  });
}

/** Sweeps every `intervalSeconds` (0: off); returns a function that stops it. */
export function startReservationSweeper(
  sql: Pool,
  sweep: ReservationSweep & { intervalSeconds: number },
): () => void {
  if (sweep.intervalSeconds <= 0) return () => {};
  const timer = setInterval(() => {
    sweepAbandonedReservations(sql, sweep).then(
      (freed) => freed.length && log.info("inventory.reservation.swept", { msisdns: freed }),
      (e) => log.warn("inventory.reservation.sweep_failed", { error: String(e) }),
    );
  }, sweep.intervalSeconds * 1000);
  return () => clearInterval(timer);
}
