/**
 * The perimeter: token required everywhere but /health and /health/ready, identity and tenant
 * from the token only (never a header), actor/channel from headers onto audit rows, request
 * ids, and readiness.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { emit } from "../kernel/events.ts";
import { defineRoute, endpoint } from "../http/route.ts";
import { freshDatabase } from "./support/db.ts";
import { reply, serveTest, tenantToken, TOKEN } from "./support/http.ts";

const db = await freshDatabase("http_perimeter");

// Test-only: writes one audit row attributed to the current caller.
const emitRoute = defineRoute({
  method: "POST",
  path: "/test/emit/:id",
  params: z.object({ id: z.string() }),
  response: z.object({ eventId: z.string() }),
  summary: "test: emit an event",
});
const server = serveTest({
  sql: db.sql,
  endpoints: [
    endpoint(emitRoute, async ({ params }) => {
      const [event] = await emit(db.sql, {
        type: "test.emitted",
        aggregateType: "test",
        aggregateId: params.id,
        payload: {},
      });
      return { eventId: event.eventId };
    }),
  ],
});

Deno.test("a missing token is 401 AUTH_MISSING_TOKEN", async () => {
  const r = await reply(await server.request("/admin-api/v1/clock/now", { token: null }));
  assert.deepEqual([r.status, r.body.code], [401, "AUTH_MISSING_TOKEN"]);
});

Deno.test("an empty token counts as missing", async () => {
  const r = await reply(await server.request("/admin-api/v1/clock/now", { token: "" }));
  assert.deepEqual([r.status, r.body.code], [401, "AUTH_MISSING_TOKEN"]);
});

Deno.test("a wrong token is 401 AUTH_INVALID_TOKEN", async () => {
  const r = await reply(
    await server.request("/admin-api/v1/clock/now", { token: "x".repeat(40) }),
  );
  assert.deepEqual([r.status, r.body.code], [401, "AUTH_INVALID_TOKEN"]);
  // the standard error body, TMF's fields included
  assert.deepEqual([r.body.reason, r.body.status], ["AUTH_INVALID_TOKEN", "401"]);
});

Deno.test("the token may come as Authorization: Bearer; a wrong one is refused the same", async () => {
  const as = (authorization: string) =>
    server.request("/admin-api/v1/clock/now", { token: null, headers: { authorization } });
  const ok = await reply(await as(`Bearer ${TOKEN}`));
  assert.equal(ok.status, 200);
  assert.equal((await reply(await as(`Bearer ${"x".repeat(40)}`))).body.code, "AUTH_INVALID_TOKEN");
  for (const other of ["Basic abc", "Bearer", "Bearer "]) {
    assert.equal((await reply(await as(other))).body.code, "AUTH_MISSING_TOKEN", other);
  }
});

Deno.test("unknown routes are behind the perimeter too", async () => {
  const r = await reply(await server.request("/no/such/route", { token: null }));
  assert.deepEqual([r.status, r.body.code], [401, "AUTH_MISSING_TOKEN"]);
});

Deno.test("/health and /health/ready need no token", async () => {
  const live = await reply(await server.request("/health", { token: null }));
  assert.deepEqual(live.status, 200);
  assert.deepEqual(live.body.status, "ok");
  assert.deepEqual(live.body.service, "crm");
  assert.deepEqual(typeof live.body.version, "string");
  const ready = await reply(await server.request("/health/ready", { token: null }));
  assert.deepEqual(ready, { status: 200, body: { status: "ready", service: "crm" } });
});

Deno.test("only exactly those paths are exempt", async () => {
  for (const path of ["/health/", "/health/live", "/ready", "/healthz"]) {
    const r = await server.request(path, { token: null });
    await r.body?.cancel();
    assert.deepEqual(r.status, 401, path);
  }
});

Deno.test("/openapi.json needs a token", async () => {
  const r = await server.request("/openapi.json", { token: null });
  await r.body?.cancel();
  assert.deepEqual(r.status, 401);
  const ok = await server.request("/openapi.json");
  assert.deepEqual((await ok.json()).openapi, "3.1.0");
});

Deno.test("the request id is echoed, or minted", async () => {
  const given = await server.request("/admin-api/v1/clock/now", {
    headers: { "x-request-id": "req-123" },
  });
  await given.body?.cancel();
  assert.deepEqual(given.headers.get("x-request-id"), "req-123");
  const minted = await server.request("/admin-api/v1/clock/now", { token: null });
  await minted.body?.cancel();
  assert.match(minted.headers.get("x-request-id")!, /^[0-9a-f-]{36}$/);
});

Deno.test("identity and tenant come from the token; actor and channel from headers", async () => {
  const r = await reply(
    await server.request("/test/emit/T-1", {
      method: "POST",
      token: tenantToken("OTHER"),
      headers: {
        "x-bss-actor": "CUST-0001",
        "x-bss-channel": "portal-self-serve",
        // Attempts to assert an identity or a tenant by header must be ignored.
        "x-bss-service-identity": "default",
        "x-bss-identity": "operator_cockpit",
        "x-bss-tenant": "EVILCORP",
      },
    }),
  );
  assert.deepEqual(r.status, 200);
  const [row] = await db.sql`
    select service_identity, actor, channel, tenant_id from audit.domain_event
    where event_id = ${r.body.eventId}`;
  assert.deepEqual(row, {
    service_identity: "tenant_other",
    actor: "CUST-0001",
    channel: "portal-self-serve",
    tenant_id: "OTHER",
  });
});

Deno.test("actor and channel default to system", async () => {
  const r = await reply(await server.request("/test/emit/T-2", { method: "POST" }));
  const [row] = await db.sql`
    select service_identity, actor, channel from audit.domain_event
    where event_id = ${r.body.eventId}`;
  assert.deepEqual(row, { service_identity: "default", actor: "system", channel: "system" });
});

Deno.test("readiness is 503 when the broker is unreachable", async () => {
  const broken = serveTest({ sql: db.sql, env: { BSS_RABBITMQ_URL: "amqp://127.0.0.1:1" } });
  try {
    const r = await reply(await broken.request("/health/ready", { token: null }));
    assert.deepEqual(r.status, 503);
    assert.deepEqual(r.body.code, "NOT_READY");
    assert.deepEqual(r.body.failing, ["broker"]);
    const live = await broken.request("/health", { token: null });
    await live.body?.cancel();
    assert.deepEqual(live.status, 200);
  } finally {
    await broken.stop();
  }
});

Deno.test({
  name: "teardown",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await server.stop();
    await db.drop();
  },
});
