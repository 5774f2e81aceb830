/**
 * Transaction-scoped advisory locks on names: how payment serialises the writes that must
 * not interleave (one customer's cards; one idempotency key) without a row to lock.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";

/** Holds the lock named `name` until the transaction ends (a hash collision only waits). */
export async function lockName(tx: Sql, name: string): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtextextended(${name}, 0))`;
}

/** Serialises writes to one customer's cards (cap, single default). */
export function lockCustomerCards(tx: Sql, customerId: string): Promise<void> {
  return lockName(tx, `payment.cards:${customerId}`);
}

/** Serialises charges carrying one idempotency key, so only the first reaches the gateway. */
export function lockIdempotencyKey(tx: Sql, tenant: string, key: string): Promise<void> {
  return lockName(tx, `payment.charge:${tenant}:${key}`);
}
