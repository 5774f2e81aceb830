import assert from "node:assert/strict";
import { trace } from "@opentelemetry/api";
import { loadConfig } from "../kernel/config.ts";
import { tracedFetch, withServerSpan } from "../kernel/telemetry/http.ts";
import { spansOfTrace, traceSummary } from "../kernel/telemetry/query.ts";
import { startTelemetry } from "../kernel/telemetry/setup.ts";
import { freshDatabase } from "./support/db.ts";

const db = await freshDatabase("telemetry_http");
const telemetry = startTelemetry(
  loadConfig({ BSS_API_TOKEN: "t".repeat(40) }),
  db.sql,
  "bss-test",
);

// A service whose handler reports the trace it runs in, and fails on /boom.
const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (request) => {
  const route = new URL(request.url).pathname === "/boom" ? "/boom" : "/customer/:id";
  return withServerSpan(request, "crm", route, () => {
    const traceId = trace.getActiveSpan()?.spanContext().traceId;
    return Promise.resolve(Response.json({ traceId }, { status: route === "/boom" ? 503 : 200 }));
  });
});
const base = `http://127.0.0.1:${server.addr.port}`;

Deno.test("tracedFetch → withServerSpan is one trace: client span, then server span", async () => {
  const response = await tracedFetch(`${base}/customer/CUST-0001?token=secret`, {
    method: "POST",
  }, { service: "portal" });
  const { traceId } = await response.json();
  await telemetry.flush();
  const spans = await spansOfTrace(db.sql, traceId);
  const client = spans.find((s) => s.kind === "CLIENT");
  const served = spans.find((s) => s.kind === "SERVER");
  assert.equal(spans.length, 2);
  assert.equal(client?.name, "HTTP POST");
  assert.equal(client.service, "portal");
  assert.equal(client.parentSpanId, null);
  assert.equal(client.attributes["http.url"], `${base}/customer/CUST-0001`);
  assert.equal(client.attributes["http.status_code"], 200);
  assert.equal(served?.name, "POST /customer/:id");
  assert.equal(served.parentSpanId, client.spanId);
  assert.equal(served.service, "crm");
  assert.deepEqual(
    [served.attributes["http.method"], served.attributes["http.route"]],
    ["POST", "/customer/:id"],
  );
  assert.equal(served.attributes["http.status_code"], 200);
  assert.deepEqual(traceSummary(spans).services, ["crm", "portal"]);
});

Deno.test("a tracedFetch inside a span continues that span's trace", async () => {
  const tracer = trace.getTracer("test");
  const { outer, inner } = await tracer.startActiveSpan("outer", async (span) => {
    const response = await tracedFetch(`${base}/customer/CUST-0002`, undefined, {
      service: "cockpit",
    });
    span.end();
    return { outer: span.spanContext().traceId, inner: (await response.json()).traceId };
  });
  assert.equal(inner, outer);
});

Deno.test("a status ≥ 500 marks both spans as errors", async () => {
  const { traceId } = await (await tracedFetch(`${base}/boom`, {}, { service: "portal" })).json();
  await telemetry.flush();
  const spans = await spansOfTrace(db.sql, traceId);
  assert.deepEqual(spans.map((s) => [s.kind, s.statusCode, s.statusMessage]).sort(), [
    ["CLIENT", "ERROR", "HTTP 503"],
    ["SERVER", "ERROR", "HTTP 503"],
  ]);
  assert.equal(traceSummary(spans).errorSpanCount, 2);
});

Deno.test("a network failure ends the client span as an error and rethrows", async () => {
  const tracer = trace.getTracer("test");
  const traceId = await tracer.startActiveSpan("outer", async (span) => {
    await assert.rejects(tracedFetch("http://127.0.0.1:1/", {}, { service: "portal" }));
    span.end();
    return span.spanContext().traceId;
  });
  await telemetry.flush();
  const client = (await spansOfTrace(db.sql, traceId)).find((s) => s.kind === "CLIENT");
  assert.equal(client?.statusCode, "ERROR");
  assert.equal(client.service, "portal");
});

Deno.test("shutdown", async () => {
  await server.shutdown();
  await telemetry.shutdown();
  await db.drop();
});
