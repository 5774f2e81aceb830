/**
 * `bss admin tokens`: the configured identities with their route scopes, tenant and what they
 * may assert as actor and channel (never a token value), then the scope table every route is
 * enforced from (`http/scopes.ts`).
 *
 * @module
 */
import type { Config } from "../../kernel/config.ts";
import { ROUTE_SCOPES } from "../../http/scopes.ts";
import { assertions } from "../../http/middleware/caller.ts";
import { ROUTE_SCOPE_NAMES } from "../../kernel/tokens.ts";

/** The lines `bss admin tokens` prints. */
export function tokenLines(config: Config): string[] {
  const identities = config.tokens.map((t) => {
    const routes = t.scopes.filter((s) => ROUTE_SCOPE_NAMES.includes(s)).join(",") || "(none)";
    return `  ${t.identity.padEnd(24)} ${routes.padEnd(26)} ${t.tenant.padEnd(8)} ${
      assertions(t.scopes)
    }`;
  });
  const routes = Object.entries(ROUTE_SCOPES)
    .map(([route, { scope, bind }]) => {
      const bound = bind ? `  customer of ${bind.from}.${bind.key} (${bind.owns})` : "";
      return `  ${scope.padEnd(11)} ${route}${bound}`;
    })
    .sort();
  return [
    "identities (route scopes, tenant, may assert as X-BSS-Actor/X-BSS-Channel):",
    ...identities,
    "",
    "routes (scope needed; self_serve is also open to operator, bound for a self_serve-only caller):",
    ...routes,
  ];
}
