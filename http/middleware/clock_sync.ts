/**
 * Each request starts on the shared BSS clock as it is in Postgres, so a freeze or advance
 * made through any process is seen by the next request to this one (see `kernel/clock.ts`).
 * Concurrent requests share one read. When the database is away the cached clock stands and
 * the handler meets the outage itself; health probes do not wait on it. A call from a service
 * of this same process (`http/local.ts`) skips the read: it is part of work that started on
 * this process's clock (a request synced here, or a drain batch, which reads the clock with its
 * lock), so it sees what that work sees, and the order's path saves a round trip per call.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { clock } from "../../kernel/clock.ts";
import type { Sql } from "../../kernel/db/types.ts";
import type { AppEnv } from "../env.ts";
import { isLocalCall } from "../local.ts";

/** Syncs the process clock before the request is handled. */
export function clockSync(sql: Sql): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.req.path.startsWith("/health") && !isLocalCall(c.req.raw)) {
      await clock.sync(sql).catch(() => {});
    }
    await next();
  };
}
