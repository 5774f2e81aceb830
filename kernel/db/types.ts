/**
 * The SQL handle type used across the codebase: a postgres.js client or transaction.
 *
 * @module
 */
import type postgres from "postgres";

/** A postgres.js client or a transaction of one. */
export type Sql = postgres.Sql | postgres.TransactionSql;

/** A postgres.js client (not a transaction): can begin, listen, end. */
export type Pool = postgres.Sql;

/** A statement not yet sent, to be written into another statement as a fragment. */
export type Fragment = postgres.PendingQuery<postgres.Row[]>;

/**
 * A jsonb[] parameter, sent as text[] of JSON documents: write `${jsonb(xs)}::text[]::jsonb[]`.
 * (postgres.js would take any element with a `type` key for a typed parameter.)
 */
export function jsonb(values: unknown[]): (string | null)[] {
  return values.map((v) => (v === null || v === undefined ? null : JSON.stringify(v)));
}

/**
 * Sends `query` now (postgres.js sends a query when it is first awaited): statements started
 * one after another go out in that order, and several can share one round trip when their
 * answers are awaited together.
 */
export function startNow<T>(query: PromiseLike<T>): Promise<T> {
  return (async () => await query)();
}
