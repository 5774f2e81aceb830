/**
 * Scoped tokens: every route of every service is in the one scope table, and every identity
 * is refused with 403 FORBIDDEN_SCOPE exactly where the table says — the portal everywhere
 * but the self-serve routes, the cockpit on admin routes, an unscoped partner everywhere —
 * and passes elsewhere. Handlers are stubbed here: what is tested is the perimeter.
 */
import assert from "node:assert/strict";
import type { Hono } from "hono";
import { ActorSystem } from "../actors/runtime/system.ts";
import { runCli } from "../cockpit/bss/cli.ts";
import { createApp } from "../http/app.ts";
import type { AppEnv } from "../http/env.ts";
import { EXEMPT } from "../http/middleware/perimeter.ts";
import { type RoleName, ROLES } from "../http/roles.ts";
import { fillPath } from "../http/route.ts";
import { accessOf, ROUTE_SCOPES } from "../http/scopes.ts";
import { freshDatabase } from "./support/db.ts";
import {
  CLI_TOKEN,
  COCKPIT_TOKEN,
  PORTAL_TOKEN,
  SERVICE_TOKEN,
  testConfig,
  TOKEN,
} from "./support/http.ts";

const db = await freshDatabase("http_scopes");
const PARTNER_TOKEN = "test-partner-token-0123456789abcdefghij";
const OPS_TOKEN = "test-ops-admin-token-0123456789abcdefghij";
const config = testConfig({
  BSS_PARTNER_ACME_API_TOKEN: PARTNER_TOKEN,
  BSS_OPS_API_TOKEN: OPS_TOKEN,
  BSS_OPS_API_SCOPES: "admin",
});
const deps = { config, sql: db.sql, system: new ActorSystem(db.sql) };

/** Every service app, its own endpoints' handlers stubbed (shared groups stay real). */
const apps = new Map<RoleName, Hono<AppEnv>>();
for (const role of Object.keys(ROLES) as RoleName[]) {
  const endpoints = ROLES[role].endpoints(deps).map(({ route, count }) => ({
    route,
    handler: () => ({}),
    count: count && (() => Promise.resolve(0)),
  }));
  apps.set(role, createApp({ service: ROLES[role].service, config, sql: db.sql, endpoints }));
}

/** Every `METHOD path` served, with the role serving it first. */
function servedRoutes(): Map<string, RoleName> {
  const served = new Map<string, RoleName>();
  for (const [role, app] of apps) {
    for (const r of app.routes) {
      if (r.method === "ALL" || EXEMPT.has(r.path)) continue;
      const key = `${r.method} ${r.path}`;
      if (!served.has(key)) served.set(key, role);
    }
  }
  return served;
}

Deno.test("every route is in the scope table, and every row is a route", () => {
  const served = servedRoutes();
  const unlisted = [...served.keys()].filter((k) => !(k in ROUTE_SCOPES));
  assert.deepEqual(unlisted, [], "routes missing from http/scopes.ts");
  const stale = Object.keys(ROUTE_SCOPES).filter((k) => !served.has(k));
  assert.deepEqual(stale, [], "rows of http/scopes.ts that no service serves");
});

Deno.test("the knowledge routes are operator reads and an admin reindex", () => {
  for (const p of ["search", "section", "sections", "status"]) {
    assert.equal(accessOf("GET", `/knowledge-api/v1/${p}`).scope, "operator");
  }
  assert.equal(accessOf("POST", "/knowledge-api/v1/reindex").scope, "admin");
});

Deno.test("an unlisted route needs admin", () => {
  assert.equal(accessOf("POST", "/no/such/route").scope, "admin");
});

/** Whether each identity may reach a route of `scope`. */
const MAY: Record<string, (scope: string) => boolean> = {
  default: () => true,
  operator_cli: () => true,
  service: () => true,
  operator_cockpit: (scope) => scope !== "admin",
  portal_self_serve: (scope) => scope === "self_serve",
  partner_acme: () => false,
  ops: (scope) => scope === "admin",
};
const TOKENS: Record<string, string> = {
  default: TOKEN,
  operator_cli: CLI_TOKEN,
  service: SERVICE_TOKEN,
  operator_cockpit: COCKPIT_TOKEN,
  portal_self_serve: PORTAL_TOKEN,
  partner_acme: PARTNER_TOKEN,
  ops: OPS_TOKEN,
};

Deno.test("route × identity: refused with FORBIDDEN_SCOPE exactly where the table says", async () => {
  const wrong: string[] = [];
  let checked = 0;
  for (const [key, role] of servedRoutes()) {
    const [method, pattern] = key.split(" ");
    const path = fillPath(pattern, () => "CUST-self");
    for (const [identity, token] of Object.entries(TOKENS)) {
      const r = await apps.get(role)!.request(path, {
        method,
        headers: {
          "x-bss-api-token": token,
          "x-bss-actor": "CUST-self",
          "content-type": "application/json",
        },
      });
      const body = await r.text();
      const refused = r.status === 403 && body.includes('"FORBIDDEN_SCOPE"');
      const scope = accessOf(method, pattern).scope;
      if (refused === MAY[identity](scope)) {
        wrong.push(`${identity} ${key} (${scope}): ${r.status} ${body.slice(0, 80)}`);
      }
      checked++;
    }
  }
  assert.ok(checked > 500, `checked ${checked}`);
  assert.deepEqual(wrong, []);
});

Deno.test("OpenAPI: each operation says its scope as x-bss-scope", async () => {
  const r = await apps.get("crm")!.request("/openapi.json", {
    headers: { "x-bss-api-token": TOKEN },
  });
  const doc = await r.json();
  assert.equal(doc.paths["/tmf-api/customerManagement/v4/customer"].get["x-bss-scope"], "operator");
  assert.equal(
    doc.paths["/tmf-api/customerManagement/v4/customer"].post["x-bss-scope"],
    "self_serve",
  );
  assert.equal(doc.paths["/admin-api/v1/reset-operational-data"].post["x-bss-scope"], "admin");
  assert.equal(doc.paths["/health"].get["x-bss-scope"], undefined);
});

Deno.test("bss admin tokens prints identities, scopes and the route table, never a token", async () => {
  const r = await runCli(["admin", "tokens"], { config });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split("\n");
  const has = (re: RegExp) => assert.ok(lines.some((l) => re.test(l)), r.stdout);
  has(/^\s+portal_self_serve\s+self_serve\s+DEFAULT\s+its CUST-…, verified email or portal-anon/);
  has(/^\s+partner_acme\s+\(none\)\s+DEFAULT\s+nothing \(recorded as itself\)$/);
  has(/^\s+default\s+self_serve,operator,admin\s+DEFAULT\s+nothing \(recorded as itself\)$/);
  has(/^\s+operator_cli\s+self_serve,operator,admin\s+DEFAULT\s+an operator on cli\/llm/);
  has(/^\s+service\s+self_serve,operator,admin\s+DEFAULT\s+any actor and channel/);
  assert.ok(lines.some((l) => /^\s+admin\s+POST \/knowledge-api\/v1\/reindex$/.test(l)));
  const routeLines = lines.filter((l) => /^\s+(admin|operator|self_serve)\s+[A-Z]+ \//.test(l));
  assert.equal(routeLines.length, Object.keys(ROUTE_SCOPES).length);
  for (
    const token of [TOKEN, CLI_TOKEN, SERVICE_TOKEN, PORTAL_TOKEN, COCKPIT_TOKEN, PARTNER_TOKEN]
  ) {
    assert.ok(!r.stdout.includes(token));
  }
});

Deno.test({
  name: "teardown",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await db.drop();
  },
});
