/**
 * Plain-SQL migrations: `sql/NNNN_name.sql`, applied in name order in one transaction and
 * recorded in `kernel.migration`. An advisory lock serialises processes starting together
 * against the same database.
 *
 * @module
 */
import type { Pool } from "./types.ts";

const SQL_DIR = new URL("../../sql/", import.meta.url);
const LOCK = 7_311_001;

/** The migration files, in the order they apply. */
export function migrationFiles(): string[] {
  return [...Deno.readDirSync(SQL_DIR)]
    .filter((e) => e.isFile && /^\d{4}_.+\.sql$/.test(e.name))
    .map((e) => e.name)
    .sort();
}

/** Applies pending migrations; returns the names applied by this call. */
export async function migrate(sql: Pool): Promise<string[]> {
  return await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${LOCK})`;
    await tx`create schema if not exists kernel`;
    await tx`create table if not exists kernel.migration (
      name text primary key, applied_at timestamptz not null default now())`;
    const done = new Set((await tx`select name from kernel.migration`).map((r) => r.name));
    const applied: string[] = [];
    for (const name of migrationFiles()) {
      if (done.has(name)) continue;
      await tx.unsafe(Deno.readTextFileSync(new URL(name, SQL_DIR)));
      await tx`insert into kernel.migration (name) values (${name})`;
      applied.push(name);
    }
    return applied;
  });
}
