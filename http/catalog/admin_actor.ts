/**
 * Who a catalog write acts as. Catalog reads `X-BSS-Actor` with default `anonymous` (docs/http.md
 * §3.3, §5), unlike the platform's caller context, which defaults an absent actor to
 * `system`; so the header is read here, where absence is still visible.
 *
 * @module
 */
import type { Context } from "hono";

/** The request's `X-BSS-Actor`, or `anonymous` when it is absent or blank. */
export function catalogActor(c: Context): string {
  return c.req.header("x-bss-actor")?.trim() || "anonymous";
}
