/**
 * The route a request matched, as declared (`POST /crm-api/v1/case/:id/close`): what span
 * names and the scope table are keyed by.
 *
 * @module
 */
import type { Context } from "hono";
import { matchedRoutes } from "hono/route";

/** The matched route's method and path pattern, or undefined when no route matched. */
export function matchedRoute(c: Context): { method: string; path: string } | undefined {
  // Middleware is mounted for ALL methods; the first route after it is the one that answers
  // (a static path such as `/customer/by-email` also matches `/customer/:id` after it).
  const route = matchedRoutes(c).find((r) => r.method !== "ALL");
  return route && { method: route.method, path: route.path };
}
