/**
 * The server span of a request, named after the matched route pattern (not the raw path, so
 * span names stay few), carrying the caller's identity, actor and channel. Health probes are
 * not traced.
 *
 * @module
 */
import { trace } from "@opentelemetry/api";
import type { MiddlewareHandler } from "hono";
import { currentCaller } from "../../kernel/context.ts";
import { withServerSpan } from "../../kernel/telemetry/http.ts";
import type { AppEnv } from "../env.ts";
import { matchedRoute } from "./matched.ts";
import { EXEMPT } from "./perimeter.ts";

/** Wraps the rest of the pipeline in a SERVER span attributed to `service`. */
export function serverSpan(service: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (EXEMPT.has(c.req.path)) return await next();
    const route = matchedRoute(c)?.path ?? "unmatched";
    await withServerSpan(c.req.raw, service, route, async () => {
      const who = currentCaller();
      trace.getActiveSpan()?.setAttributes({
        "bss.service.identity": who.serviceIdentity,
        "bss.actor": who.actor,
        "bss.channel": who.channel,
      });
      await next();
      return c.res;
    });
  };
}
