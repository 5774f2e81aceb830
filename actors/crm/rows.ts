/**
 * Small helpers shared by the CRM queries: instants on the wire, ANDed filters, and the
 * unique-violation test behind the policies' race backstops.
 *
 * @module
 */
import type postgres from "postgres";
import type { Sql } from "../../kernel/db/types.ts";

/** A piece of SQL to embed in another statement. */
export type Fragment = postgres.Fragment;

/** An instant as ISO-8601 UTC (`…Z`), or null. */
export function iso(value: Date | null | undefined): string | null {
  return value ? value.toISOString() : null;
}

/** `c1 and c2 and …` (true when there are none). */
export function allOf(sql: Sql, conditions: Fragment[]): Fragment {
  return conditions.reduce((acc, cond) => sql`${acc} and ${cond}`, sql`true`);
}

/** `column = value` when the filter is given, else nothing. */
export function eq(sql: Sql, column: string, value: string | undefined): Fragment[] {
  return value === undefined ? [] : [sql`${sql(column)} = ${value}`];
}

/** Whether `e` is Postgres' unique violation of `constraint`. */
export function isUniqueViolation(e: unknown, constraint: string): boolean {
  const err = e as { code?: string; constraint_name?: string };
  return err?.code === "23505" && err.constraint_name === constraint;
}
