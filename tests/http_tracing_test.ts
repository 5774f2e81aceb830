/**
 * The server span: one per request, named after the route pattern, a child of the typed
 * client's span (one trace across the hop), carrying identity, actor and channel; the audit
 * rows written in the request record its trace. Health probes are not traced.
 */
import assert from "node:assert/strict";
import { trace } from "@opentelemetry/api";
import { z } from "zod";
import { withCaller } from "../kernel/context.ts";
import { emit } from "../kernel/events.ts";
import { spansOfTrace } from "../kernel/telemetry/query.ts";
import { startTelemetry } from "../kernel/telemetry/setup.ts";
import { defineRoute, endpoint } from "../http/route.ts";
import { freshDatabase } from "./support/db.ts";
import { serveTest, tenantToken, testConfig } from "./support/http.ts";

const db = await freshDatabase("http_tracing");
const telemetry = startTelemetry(testConfig({ BSS_OTEL_ENABLED: "true" }), db.sql, "bss-test");

const traced = defineRoute({
  method: "POST",
  path: "/test/traced/:id",
  params: z.object({ id: z.string() }),
  response: z.object({ traceId: z.string(), eventId: z.string() }),
  summary: "test: report the trace, write an event",
});
const server = serveTest({
  sql: db.sql,
  endpoints: [
    endpoint(traced, async ({ params }) => {
      const [event] = await emit(db.sql, {
        type: "test.traced",
        aggregateType: "test",
        aggregateId: params.id,
        payload: {},
      });
      return { traceId: trace.getActiveSpan()!.spanContext().traceId, eventId: event.eventId };
    }),
  ],
});

Deno.test("client and server spans form one trace, attributed to the caller", async () => {
  const caller = { actor: "CUST-0001", channel: "portal-chat", serviceIdentity: "x", tenant: "T" };
  const { traceId, eventId } = await withCaller(
    caller,
    () => server.client({ token: tenantToken("OTHER") }).call(traced, { params: { id: "X-1" } }),
  );
  await telemetry.flush();
  const spans = await spansOfTrace(db.sql, traceId);
  const client = spans.find((s) => s.kind === "CLIENT")!;
  const served = spans.find((s) => s.kind === "SERVER")!;
  assert.equal(served.name, "POST /test/traced/:id");
  assert.equal(served.service, "crm");
  assert.equal(served.parentSpanId, client.spanId);
  assert.equal(served.attributes["http.status_code"], 200);
  assert.equal(served.attributes["bss.service.identity"], "tenant_other");
  assert.equal(served.attributes["bss.actor"], "CUST-0001");
  assert.equal(served.attributes["bss.channel"], "portal-chat");
  const [row] = await db.sql`select trace_id from audit.domain_event where event_id = ${eventId}`;
  assert.equal(row.trace_id, traceId);
});

Deno.test("forged actor and tenant on the default token: audit row and span name the token", async () => {
  const r = await server.request("/test/traced/X-2", {
    method: "POST",
    headers: {
      "x-bss-actor": "csr:alice-the-admin",
      "x-bss-channel": "cli",
      "x-bss-tenant": "EVILCORP",
    },
  });
  const { traceId, eventId } = await r.json();
  await telemetry.flush();
  const served = (await spansOfTrace(db.sql, traceId)).find((s) => s.kind === "SERVER")!;
  assert.equal(served.attributes["bss.service.identity"], "default");
  assert.equal(served.attributes["bss.actor"], "default");
  assert.equal(served.attributes["bss.channel"], "system");
  const [row] = await db.sql`
    select service_identity, actor, channel, tenant_id from audit.domain_event
    where event_id = ${eventId}`;
  assert.deepEqual(row, {
    service_identity: "default",
    actor: "default",
    channel: "system",
    tenant_id: "DEFAULT",
  });
});

Deno.test("health probes are not traced", async () => {
  for (const path of ["/health", "/health/ready"]) {
    const r = await server.request(path, { token: null });
    await r.body?.cancel();
  }
  await telemetry.flush();
  const [{ n }] = await db.sql`
    select count(*)::int as n from telemetry.span where name like '%/health%'`;
  assert.equal(n, 0);
});

Deno.test({
  name: "teardown",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await server.stop();
    await telemetry.shutdown();
    await db.drop();
  },
});
