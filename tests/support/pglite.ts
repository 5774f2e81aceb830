/**
 * A Postgres that has pgvector, for the tests of the hybrid ranking: the machine's Postgres 15
 * has no pgvector package (Debian bookworm ships none), so these tests run on PGlite — the
 * Postgres source compiled to WebAssembly, from npm, with pgvector and pg_trgm built the same
 * way — served over the Postgres wire protocol on a loopback port, so the project's own
 * postgres.js pool, migrations and SQL run against it unchanged.
 *
 * @module
 */
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { vector } from "@electric-sql/pglite-pgvector";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { pool } from "../../kernel/db/connect.ts";
import { migrate } from "../../kernel/db/migrate.ts";
import type { TestDatabase } from "./db.ts";

/**
 * A fresh in-memory PGlite with pgvector available (not yet created: the code under test
 * creates the extension), migrated, behind a one-connection pool (PGlite is single-session).
 */
export async function pgvectorDatabase(): Promise<TestDatabase> {
  const db = await PGlite.create({ extensions: { vector, pg_trgm } });
  const server = new PGLiteSocketServer({ db, port: 0, host: "127.0.0.1" });
  await server.start();
  const port = Number(String(server.getServerConn()).split(":").pop());
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const sql = pool(url, 1);
  await migrate(sql);
  return {
    url,
    sql,
    async drop() {
      await sql.end({ timeout: 5 });
      await server.stop();
      await db.close();
    },
  };
}

/**
 * Runs `work`, failing with a clear error when it has not settled after `ms`: PGlite stalled
 * once in a handful of runs on a heavily loaded machine, and a stalled test must fail, not
 * hold the suite. A bound on a hang, not a speed check: keep `ms` generous.
 */
export async function settlesWithin<T>(ms: number, what: string, work: () => Promise<T>) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work(), stalled]);
  } finally {
    clearTimeout(timer);
  }
}
