/**
 * `bss admin tokens`: the configured identities with their scopes and tenant (never a token
 * value), then the scope table every route is enforced from (`http/scopes.ts`).
 *
 * @module
 */
import type { Config } from "../../kernel/config.ts";
import { ROUTE_SCOPES } from "../../http/scopes.ts";

/** The lines `bss admin tokens` prints. */
export function tokenLines(config: Config): string[] {
  const identities = config.tokens.map((t) =>
    `  ${t.identity.padEnd(24)} ${(t.scopes.join(",") || "(none)").padEnd(36)} ${t.tenant}`
  );
  const routes = Object.entries(ROUTE_SCOPES)
    .map(([route, { scope, bind }]) => {
      const bound = bind ? `  customer of ${bind.from}.${bind.key} (${bind.owns})` : "";
      return `  ${scope.padEnd(11)} ${route}${bound}`;
    })
    .sort();
  return [
    "identities (scopes, tenant):",
    ...identities,
    "",
    "routes (scope needed; self_serve is also open to operator, bound for a self_serve-only caller):",
    ...routes,
  ];
}
