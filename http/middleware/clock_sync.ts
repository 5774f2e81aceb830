/**
 * Each request starts on the shared BSS clock as it is in Postgres, so a freeze or advance
 * made through any process is seen by the next request to this one (see `kernel/clock.ts`).
 * Concurrent requests share one read. When the database is away the cached clock stands and
 * the handler meets the outage itself; health probes do not wait on it.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { clock } from "../../kernel/clock.ts";
import type { Sql } from "../../kernel/db/types.ts";
import type { AppEnv } from "../env.ts";

/** Syncs the process clock before the request is handled. */
export function clockSync(sql: Sql): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.req.path.startsWith("/health")) await clock.sync(sql).catch(() => {});
    await next();
  };
}
