/**
 * Traces read from Jaeger's query API when `BSS_JAEGER_QUERY_URL` is set: the reply of
 * `GET /api/traces/{id}` (µs times, CHILD_OF references, tags, processes) becomes the span
 * store's shape, so `bss trace get` draws the same swimlane and the trace route the same
 * facts; a Jaeger that fails answers `JAEGER_ERROR` (502), never a 500.
 */
import assert from "node:assert/strict";
import { runTraceCommand } from "../cockpit/trace/command.ts";
import { JaegerError, jaegerSpans } from "../kernel/telemetry/jaeger.ts";
import { freshDatabase } from "./support/db.ts";
import { reply, serveTest, testConfig } from "./support/http.ts";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const T0 = 1_790_000_000_000_000; // µs

/** A Jaeger query reply for TRACE: a server span, a client call, an erroring actor turn. */
const JAEGER_REPLY = {
  data: [{
    traceID: TRACE,
    processes: { p1: { serviceName: "bss-com" }, p2: { serviceName: "bss-som" } },
    spans: [
      {
        traceID: TRACE,
        spanID: "c2",
        operationName: "service_order decompose",
        references: [{ refType: "CHILD_OF", traceID: TRACE, spanID: "b1" }],
        startTime: T0 + 4_500,
        duration: 2_250,
        tags: [
          { key: "span.kind", type: "string", value: "consumer" },
          { key: "otel.status_code", type: "string", value: "ERROR" },
          { key: "otel.status_description", type: "string", value: "boom" },
          { key: "actor.kind", type: "string", value: "service_order" },
        ],
        processID: "p2",
      },
      {
        traceID: TRACE,
        spanID: "a0",
        operationName: "POST /tmf-api/productOrderingManagement/v4/productOrder",
        references: [],
        startTime: T0,
        duration: 12_000,
        tags: [{ key: "span.kind", type: "string", value: "server" }],
        processID: "p1",
      },
      {
        traceID: TRACE,
        spanID: "b1",
        operationName: "HTTP GET",
        references: [{ refType: "CHILD_OF", traceID: TRACE, spanID: "a0" }],
        startTime: T0 + 1_000,
        duration: 3_000,
        tags: [{ key: "span.kind", type: "string", value: "client" }],
        processID: "p1",
      },
    ],
  }],
  total: 0,
  limit: 0,
  offset: 0,
  errors: null,
};

/** A stand-in Jaeger query service: TRACE is known, `dead…` fails, the rest is 404. */
function fakeJaeger() {
  return Deno.serve({ port: 0, onListen() {} }, (req) => {
    const id = new URL(req.url).pathname.split("/").at(-1)!;
    if (id === TRACE) return Response.json(JAEGER_REPLY);
    if (id.startsWith("dead")) return new Response("upstream down", { status: 503 });
    return Response.json({ data: null, errors: [{ code: 404, msg: "trace not found" }] }, {
      status: 404,
    });
  });
}

Deno.test("Jaeger's reply becomes spans in the store's shape, earliest first", async () => {
  const jaeger = fakeJaeger();
  const base = `http://127.0.0.1:${jaeger.addr.port}`;
  try {
    const spans = await jaegerSpans(base, TRACE);
    assert.deepEqual(
      spans.map((s) => [s.spanId, s.parentSpanId, s.service, s.kind, s.offsetMs, s.durationMs]),
      [
        ["a0", null, "bss-com", "SERVER", 0, 12],
        ["b1", "a0", "bss-com", "CLIENT", 1, 3],
        ["c2", "b1", "bss-som", "CONSUMER", 4.5, 2.25],
      ],
    );
    const failed = spans[2];
    assert.deepEqual([failed.statusCode, failed.statusMessage], ["ERROR", "boom"]);
    assert.deepEqual(failed.attributes, { "actor.kind": "service_order" });
    assert.equal(failed.startTime.getTime(), Math.floor((T0 + 4_500) / 1000));
    assert.deepEqual(await jaegerSpans(base, "0".repeat(32)), []);
    await assert.rejects(jaegerSpans(base, `dead${"0".repeat(28)}`), JaegerError);
    await assert.rejects(jaegerSpans("http://127.0.0.1:1", TRACE), JaegerError);
  } finally {
    await jaeger.shutdown();
  }
});

Deno.test("bss trace get and the trace route read Jaeger when it is configured", async () => {
  const jaeger = fakeJaeger();
  const db = await freshDatabase("trace_jaeger");
  const env = { BSS_JAEGER_QUERY_URL: `http://127.0.0.1:${jaeger.addr.port}` };
  const com = serveTest({ sql: db.sql, service: "com", env });
  try {
    const out: string[] = [];
    const code = await runTraceCommand(["get", TRACE, "--width", "100"], {
      config: testConfig({ ...env, BSS_DB_URL: db.url }),
      out: (t) => out.push(t),
      err: (t) => out.push(t),
      color: false,
    });
    assert.equal(code, 0, out.join("\n"));
    assert.match(
      out[0],
      /^Trace 4bf92f3577b34da6… {2}total 12ms {2}· {2}3 spans {2}· {2}2 services {2}· {2}1 errors/,
    );
    assert.match(out[0], /service_order decompose/);

    const facts = await reply(await com.request(`/audit-api/v1/trace/${TRACE}`));
    assert.equal(facts.status, 200);
    assert.deepEqual(
      [facts.body.spanCount, facts.body.services, facts.body.errorSpanCount, facts.body.totalMs],
      [3, ["bss-com", "bss-som"], 1, 12],
    );
    const down = await reply(await com.request(`/audit-api/v1/trace/dead${"0".repeat(28)}`));
    assert.deepEqual([down.status, down.body.code], [502, "JAEGER_ERROR"]);
    const unknown = await reply(await com.request(`/audit-api/v1/trace/${"0".repeat(32)}`));
    assert.equal(unknown.status, 404);
  } finally {
    await com.stop();
    await jaeger.shutdown();
    await db.drop();
  }
});
