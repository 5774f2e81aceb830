/**
 * The low-watermark of the MSISDN pool (docs/flows.md §1.3): after every reservation, when the
 * tenant has at most `threshold` numbers left, `inventory.msisdn.pool_low` is emitted in the
 * reservation's own transaction (the reference used a second commit; one is enough here).
 *
 * @module
 */
import { currentCaller } from "../../kernel/context.ts";
import type { Sql } from "../../kernel/db/types.ts";
import { emit } from "../../kernel/events.ts";
import { countAvailable } from "./msisdn_store.ts";

/** `BSS_INVENTORY_MSISDN_POOL_LOW_THRESHOLD`'s default. */
export const DEFAULT_POOL_LOW_THRESHOLD = 50;

/** Options of every MSISDN reservation. */
export interface PoolLowOptions {
  /** Available numbers at or below which a reservation reports a low pool (default 50). */
  threshold?: number;
}

/** Emits `inventory.msisdn.pool_low` when the available count is at or below the threshold. */
export async function reportPoolLow(
  tx: Sql,
  at: Date,
  { threshold = DEFAULT_POOL_LOW_THRESHOLD }: PoolLowOptions,
): Promise<void> {
  // Past the threshold the exact count does not matter: it is not reported.
  const available = await countAvailable(tx, at, threshold + 1);
  if (available > threshold) return;
  await emit(tx, {
    type: "inventory.msisdn.pool_low",
    aggregateType: "msisdn_pool",
    aggregateId: currentCaller().tenant,
    payload: { available, threshold },
  });
}
