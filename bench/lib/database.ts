/**
 * The database a bench runs against: `BSS_DB_URL` when set; else a fresh database on the
 * machine's Postgres (127.0.0.1:5432, trust auth), dropped afterwards; else the embedded
 * server started by `boot()`.
 *
 * @module
 */
import { boot } from "../../kernel/boot.ts";
import { processEnv } from "../../kernel/config.ts";
import { withInstance } from "../../kernel/instance.ts";
import { pool } from "../../kernel/db/connect.ts";
import { migrate } from "../../kernel/db/migrate.ts";
import type { Pool } from "../../kernel/db/types.ts";

const MACHINE_URL = "postgres://postgres@127.0.0.1:5432/postgres";

/** An open, migrated bench database. */
export interface BenchDatabase {
  url: string;
  sql: Pool;
  /** Which database this is, for the report (no password). */
  description: string;
  close(): Promise<void>;
}

const redacted = (url: string) => {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
};

async function reachable(url: string): Promise<boolean> {
  const probe = pool(url, 1);
  try {
    await probe`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await probe.end({ timeout: 1 });
  }
}

async function fresh(adminUrl: string, label: string): Promise<BenchDatabase> {
  const name = `bss_bench_${label}_${crypto.randomUUID().slice(0, 8)}`;
  const admin = pool(adminUrl, 1);
  await admin.unsafe(`create database ${name}`);
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  const sql = pool(url, 10);
  await migrate(sql);
  // Statement counts for `--profile`, where the server loads the module (else it stays out).
  await sql`create extension if not exists pg_stat_statements`.catch(() => {});
  return {
    url,
    sql,
    description: `fresh database ${name} on the machine Postgres (${redacted(adminUrl)})`,
    async close() {
      await sql.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** Opens (and migrates) the bench database; `label` names a fresh one. */
export async function openBenchDatabase(label: string): Promise<BenchDatabase> {
  const url = processEnv().BSS_DB_URL;
  if (url) {
    const sql = pool(url, 10);
    await migrate(sql);
    const description = `BSS_DB_URL (${redacted(url)})`;
    return { url, sql, description, close: () => sql.end({ timeout: 5 }) };
  }
  if (await reachable(MACHINE_URL)) return await fresh(MACHINE_URL, label);
  const booted = await boot({
    serviceName: `bss-bench-${label}`,
    env: withInstance(processEnv()),
  });
  return {
    url: booted.db.url,
    sql: booted.db.sql,
    description: `embedded Postgres started by boot() (${redacted(booted.db.url)})`,
    close: () => booted.shutdown(),
  };
}
