/**
 * Who a catalog write acts as. Catalog reads `X-BSS-Actor` with default `anonymous` (docs/http.md
 * §3.3, §5), unlike the platform's caller context, which defaults an absent actor to
 * `system`; so the actor the caller was allowed to assert is read here, where absence is
 * still visible.
 *
 * @module
 */
import type { Context } from "hono";
import type { AppEnv } from "../env.ts";

/** The caller's asserted `X-BSS-Actor`, or `anonymous` when it is absent, blank or refused. */
export function catalogActor(c: Context<AppEnv>): string {
  return c.get("actor") || "anonymous";
}
