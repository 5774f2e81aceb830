import assert from "node:assert/strict";
import { trace } from "@opentelemetry/api";
import { loadConfig } from "../kernel/config.ts";
import { tracesUrl } from "../kernel/telemetry/otlp.ts";
import { startTelemetry } from "../kernel/telemetry/setup.ts";
import { freshDatabase } from "./support/db.ts";

/** What the exporter posts (OTLP/HTTP JSON), as far as these tests read it. */
interface ExportRequest {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: { name: string; traceId: string }[] }[];
  }[];
}

Deno.test("tracesUrl appends /v1/traces only to a URL with no path", () => {
  assert.equal(tracesUrl("http://jaeger:4318"), "http://jaeger:4318/v1/traces");
  assert.equal(tracesUrl("http://jaeger:4318/"), "http://jaeger:4318/v1/traces");
  assert.equal(tracesUrl("http://collector/custom/traces"), "http://collector/custom/traces");
});

Deno.test({
  name: "spans reach an OTLP/HTTP receiver, flushed on shutdown",
  async fn() {
    const received: { path: string; type: string | null; body: ExportRequest }[] = [];
    const receiver = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, async (req) => {
      received.push({
        path: new URL(req.url).pathname,
        type: req.headers.get("content-type"),
        body: await req.json(),
      });
      return Response.json({});
    });
    const db = await freshDatabase("telemetry_otlp");
    try {
      const telemetry = startTelemetry(
        loadConfig({
          BSS_API_TOKEN: "t".repeat(40),
          BSS_OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.addr.port}`,
        }),
        db.sql,
        "bss-test",
      );
      const tracer = trace.getTracer("test");
      const traceId = tracer.startActiveSpan("exported parent", (parent) => {
        tracer.startSpan("exported child").end();
        parent.end();
        return parent.spanContext().traceId;
      });
      await telemetry.shutdown();

      assert.ok(received.length > 0, "nothing received");
      assert.equal(received[0].path, "/v1/traces");
      assert.equal(received[0].type, "application/json");
      const resources = received.flatMap((r) => r.body.resourceSpans);
      const spans = resources.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
      assert.deepEqual(
        spans.filter((s) => s.traceId === traceId).map((s) => s.name).sort(),
        ["exported child", "exported parent"],
      );
      const serviceName = resources[0].resource.attributes.find((a) => a.key === "service.name");
      assert.equal(serviceName?.value.stringValue, "bss");
    } finally {
      await receiver.shutdown();
      await db.drop();
    }
  },
});
