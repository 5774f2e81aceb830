/**
 * Caller context (docs/http.md §3.3–3.4): actor, channel and tenant from the request headers, the
 * service identity from the perimeter. The rest of the request runs inside it, so every audit
 * row, log line and actor message written on its behalf is attributed.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { withCaller } from "../../kernel/context.ts";
import type { AppEnv } from "../env.ts";

/** Runs the rest of the pipeline as the authenticated caller (exempt paths run as they are). */
export const caller: MiddlewareHandler<AppEnv> = async (c, next) => {
  const serviceIdentity = c.get("identity");
  if (serviceIdentity === undefined) return await next();
  await withCaller({
    actor: c.req.header("x-bss-actor") || "system",
    channel: c.req.header("x-bss-channel") || "system",
    tenant: c.req.header("x-bss-tenant") || "DEFAULT",
    serviceIdentity,
    requestId: c.get("requestId"),
  }, next);
};
