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

/**
 * A jsonb[] parameter, sent as text[] of JSON documents: write `${jsonb(xs)}::text[]::jsonb[]`.
 * (postgres.js would take any element with a `type` key for a typed parameter.)
 */
export function jsonb(values: unknown[]): (string | null)[] {
  return values.map((v) => (v === null || v === undefined ? null : JSON.stringify(v)));
}
