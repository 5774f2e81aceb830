/**
 * Who holds a lease. An effect's run and an idempotency key's claim are leased for 10 s and
 * renewed while their work runs; the lease also records its holder, this process's name on its
 * database connections (`application_name`). A lease whose holder has no connection left — its
 * process died — is taken over at once, not when it runs out: a killed process's work resumes
 * in the process that replaces it, seconds sooner.
 *
 * A live process always has a connection while the database is up: its listen connection never
 * idles out. Right after a database restart, before it has connected again, a live holder looks
 * gone and its lease may be taken over; that is the case a lease already allows for (a run that
 * outlived its lease): the work carries its idempotency key and only the first outcome stands.
 *
 * @module
 */
import type { Fragment, Sql } from "./types.ts";

/** This process's `application_name`: `bss/<pid>/<random>` (a pid can be reused). */
export const PROCESS_HOLDER = `bss/${Deno.pid}/${crypto.randomUUID().slice(0, 8)}`;

/**
 * SQL: the holder in `column` has no connection left. False for a lease without a holder. The
 * list of connections is read once per statement, and only for a lease that is still running.
 */
export function holderGone(sql: Sql, column: string): Fragment {
  return sql`not (${sql(column)} = any(array(select application_name from pg_stat_activity)))`;
}
