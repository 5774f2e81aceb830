/**
 * The token perimeter (docs/http.md §3.2, docs/decisions.md): `X-BSS-API-Token` (or the same
 * token as `Authorization: Bearer`, as HTTP clients send one) on every path but exactly
 * `/health`, `/health/ready` and `/webhooks/stripe` (Stripe signs its deliveries instead, see
 * `http/payment/stripe.ts`). The identity comes from the matching token only; no header can
 * assert one.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import type { TokenMap } from "../../kernel/tokens.ts";
import { matchToken } from "../../kernel/tokens.ts";
import type { AppEnv } from "../env.ts";
import { errorJson } from "../errors.ts";

/** The only paths served without a token. */
export const EXEMPT: ReadonlySet<string> = new Set([
  "/health",
  "/health/ready",
  "/webhooks/stripe",
]);

/** 401 without a valid token; else sets `identity`, `scopes` and `tenant` from the token map. */
export function perimeter(tokens: TokenMap): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (EXEMPT.has(c.req.path)) return await next();
    const presented = c.req.header("x-bss-api-token") ||
      /^Bearer +(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if (!presented) {
      const message = "X-BSS-API-Token header (or Authorization: Bearer) required";
      return errorJson(c, 401, { code: "AUTH_MISSING_TOKEN", message });
    }
    const entry = matchToken(tokens, presented);
    if (!entry) {
      return errorJson(c, 401, { code: "AUTH_INVALID_TOKEN", message: "invalid API token" });
    }
    c.set("identity", entry.identity);
    c.set("scopes", entry.scopes);
    c.set("tenant", entry.tenant);
    await next();
  };
}
