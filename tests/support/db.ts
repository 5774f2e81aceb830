/**
 * Test databases: each test file gets a fresh, migrated database on the test server and
 * drops it afterwards. The server is `BSS_TEST_DB_URL` (an admin URL), else the machine's
 * Postgres on 127.0.0.1:5432 (trust auth, as on the dev and CI machines).
 *
 * @module
 */
import { processEnv } from "../../kernel/config.ts";
import { pool } from "../../kernel/db/connect.ts";
import { isConnectionLoss } from "../../kernel/db/connection_loss.ts";
import { migrate } from "../../kernel/db/migrate.ts";
import type { Pool } from "../../kernel/db/types.ts";
import { type OwnPostgres, ownPostgres } from "../../bench/lib/own_postgres.ts";

/** The admin URL of the test server. */
export const ADMIN_URL = processEnv().BSS_TEST_DB_URL ??
  "postgres://postgres@127.0.0.1:5432/postgres";

/** A fresh database for one test file. */
export interface TestDatabase {
  url: string;
  sql: Pool;
  drop(): Promise<void>;
}

/** Creates and migrates a database named after `label`. */
export async function freshDatabase(label: string): Promise<TestDatabase> {
  const name = `bss_t_${label.replace(/\W/g, "_")}_${crypto.randomUUID().slice(0, 8)}`;
  const admin = pool(ADMIN_URL, 1);
  await admin.unsafe(`create database ${name}`).catch((e) => {
    if (!isConnectionLoss(e)) throw e;
    // Said once per test file, instead of a bare ECONNREFUSED in every test.
    throw new Error(
      `no test Postgres at ${ADMIN_URL.replace(/:[^:@/]+@/, ":***@")} (${e.message}): start ` +
        "Postgres 15+ on 127.0.0.1:5432 with trust auth, or set BSS_TEST_DB_URL to an admin URL " +
        '(README, "Tests")',
    );
  });
  await admin.end();
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const sql = pool(url, 20);
  await migrate(sql);
  return {
    url,
    sql,
    async drop() {
      await sql.end({ timeout: 5 });
      const a = pool(ADMIN_URL, 1);
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/**
 * Runs `fn` on a migrated database of a Postgres server of its own (one it may stop and
 * restart, never the test server), then removes the server.
 */
export async function onOwnServer(
  fn: (sql: Pool, server: OwnPostgres) => Promise<void>,
  poolSize = 8,
): Promise<void> {
  const server = await ownPostgres();
  const sql = pool(server.url, poolSize);
  try {
    await migrate(sql);
    await fn(sql, server);
  } finally {
    await sql.end({ timeout: 5 });
    await server.destroy();
  }
}
