/**
 * Opens the database of this process: `BSS_DB_URL` when set, else the embedded server.
 *
 * @module
 */
import postgres from "postgres";
import type { Config } from "../config.ts";
import { guardAgainstConnectionLoss } from "./connection_loss.ts";
import { type EmbeddedOptions, startEmbedded } from "./embedded.ts";
import { PROCESS_HOLDER } from "./holder.ts";
import type { Pool } from "./types.ts";

/** An open database: the pool plus whatever must stop with it. */
export interface Database {
  sql: Pool;
  url: string;
  close(): Promise<void>;
}

/**
 * A postgres.js pool with the project's conventions (quiet notices, int8 as number). A
 * connection that fails is dropped and opened again by the next query; a lost server never
 * ends the process (see `connection_loss.ts`).
 *
 * `genericPlans` (default on) sets `plan_cache_mode = force_generic_plan` on its connections.
 * The project's statements are prepared and nearly all are point reads and writes, yet Postgres
 * kept planning the hottest of them again at every execution (its estimate of a generic plan came
 * out costlier): planning was about a third of the statements' time, ~0.5 ms each for a drain's
 * lock and claim. With generic plans a statement is planned once per connection. Off
 * (`BSS_DB_GENERIC_PLANS=false`) restores Postgres's own choice, should a query over much data
 * want a plan for its particular values.
 *
 * Those plans, like prepared statements and catalog caches, belong to one connection: the driver
 * (`vendor/postgres`, see its PATCHES.md) hands out the idle connection used last, so light load
 * stays on a few warm connections instead of cycling through every one a burst opened.
 *
 * Its connections carry this process's name (`holder.ts`), which the leases it holds record.
 */
export function pool(url: string, max = 10, genericPlans = true): Pool {
  guardAgainstConnectionLoss();
  return postgres(url, {
    max,
    // While the server restarts, a connect attempt fails fast and the caller backs off.
    connect_timeout: 5,
    backoff: reconnectDelayS,
    onnotice: () => {},
    // int8 (bigserial ids, counts) as JS numbers: ours stay far below 2^53.
    types: {
      bigint: { to: 20, from: [20], serialize: (n: number) => String(n), parse: Number },
    },
    connection: {
      application_name: PROCESS_HOLDER,
      ...genericPlans && { plan_cache_mode: "force_generic_plan" },
    },
  });
}

/**
 * Connects to `BSS_DB_URL`, or starts the embedded server and connects to it (`own`: this
 * process owns the embedded server's life, see {@link EmbeddedOptions}).
 */
export async function openDatabase(
  config: Config,
  options: EmbeddedOptions = {},
): Promise<Database> {
  const embedded = config.BSS_DB_URL
    ? undefined
    : await startEmbedded(config.BSS_DATA_DIR, config.BSS_EMBEDDED_PG_PORT, options);
  const url = config.BSS_DB_URL ?? embedded!.url;
  const sql = pool(url, config.BSS_DB_POOL_SIZE, config.BSS_DB_GENERIC_PLANS);
  return {
    sql,
    url,
    async close() {
      await sql.end({ timeout: 5 });
      await embedded?.stop();
    },
  };
}

/**
 * Seconds before a connection that closed on an error connects again: 0.1 s doubling per error
 * up to 1 s, with jitter. The driver counts errors across the whole pool (a Postgres restart
 * under load closes every busy connection at once, so the count jumps by the pool's size) and
 * its own delay grows to 10–20 s; a statement handed to such a connection waited that long
 * after the server was back.
 */
export function reconnectDelayS(errors: number): number {
  return (0.5 + Math.random() / 2) * Math.min(0.1 * 2 ** errors, 1);
}
