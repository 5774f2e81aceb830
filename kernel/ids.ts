/**
 * Public identifiers: prefixed sequential (`ORD-0001`, `PAY-000001`) from the Postgres
 * sequences declared in `sql/`, and prefixed random hex (`CM-1a2b3c4d`, `NOTE-…`). Padding is a
 * minimum width.
 *
 * @module
 */
import type { Sql } from "./db/types.ts";

/** The next `PREFIX-000N` id from sequence `kernel.id_<prefix>`. */
export async function nextId(sql: Sql, prefix: string, width = 4): Promise<string> {
  if (!/^[A-Z]+$/.test(prefix)) throw new Error(`bad id prefix ${prefix}`);
  const [{ n }] = await sql`select nextval(${`kernel.id_${prefix.toLowerCase()}`}::regclass) as n`;
  return `${prefix}-${String(n).padStart(width, "0")}`;
}

/** One `PREFIX-000N` id per entry of `prefixes` (repeats allowed), in order, in one statement. */
export async function nextIds(sql: Sql, prefixes: string[], width = 4): Promise<string[]> {
  const bad = prefixes.find((p) => !/^[A-Z]+$/.test(p));
  if (bad !== undefined) throw new Error(`bad id prefix ${bad}`);
  const rows = await sql<{ n: number }[]>`
    select nextval(('kernel.id_' || lower(p))::regclass) as n
    from unnest(${prefixes}::text[]) with ordinality as t(p, i) order by i`;
  return rows.map(({ n }, i) => `${prefixes[i]}-${String(n).padStart(width, "0")}`);
}

/** `PREFIX-` followed by 8 random hex digits (lower case unless `upper`). */
export function randomId(prefix: string, upper = false): string {
  const hex = Array.from(crypto.getRandomValues(new Uint8Array(4)))
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${prefix}-${upper ? hex.toUpperCase() : hex}`;
}
