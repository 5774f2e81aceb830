/**
 * Scope enforcement: the matched route's rule from the one table (`http/scopes.ts`) against
 * the caller's scopes. Refused → 403 `FORBIDDEN_SCOPE`. A caller that reaches a self-serve
 * route only as a customer gets the owner check armed, run once the input is validated
 * (`http/route.ts`), which refuses with 403 `FORBIDDEN_CUSTOMER`.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { currentCaller } from "../../kernel/context.ts";
import type { Pool } from "../../kernel/db/types.ts";
import type { AppEnv } from "../env.ts";
import { HttpError } from "../errors.ts";
import { accessOf, grant } from "../scopes.ts";
import { matchedRoute } from "./matched.ts";
import { checkOwner } from "./ownership.ts";

/** Refuses calls outside the caller's scopes; `sql` serves the owner checks. */
export function scopeGuard(sql: Pool): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const identity = c.get("identity");
    const route = matchedRoute(c);
    if (identity === undefined || route === undefined) return await next();
    const access = accessOf(route.method, route.path);
    const outcome = grant(c.get("scopes") ?? [], access);
    if (outcome === "denied") {
      throw new HttpError(403, {
        code: "FORBIDDEN_SCOPE",
        message:
          `identity ${identity} lacks scope ${access.scope} for ${route.method} ${route.path}`,
        scope: access.scope,
      });
    }
    const bind = access.bind;
    if (outcome === "bound" && bind) {
      const { actor } = currentCaller();
      c.set("ownerCheck", (input) => checkOwner(sql, bind, input, actor));
    }
    await next();
  };
}
