import assert from "node:assert/strict";
import { context, propagation, ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { loadConfig } from "../kernel/config.ts";
import { currentTraceparent } from "../kernel/events.ts";
import { configureLog, log } from "../kernel/log.ts";
import { spansOfTrace } from "../kernel/telemetry/query.ts";
import { startTelemetry } from "../kernel/telemetry/setup.ts";
import { freshDatabase } from "./support/db.ts";

const db = await freshDatabase("telemetry_propagation");
const telemetry = startTelemetry(
  loadConfig({ BSS_API_TOKEN: "t".repeat(40) }),
  db.sql,
  "bss-test",
);
const tracer = trace.getTracer("test");

Deno.test("a traceparent string carries the trace to a span started elsewhere", async () => {
  const producer = tracer.startSpan("produce", { attributes: { "bss.service": "com" } });
  const traceparent = context.with(trace.setSpan(context.active(), producer), currentTraceparent);
  producer.end();
  assert.match(traceparent ?? "", /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

  // The other side sees only the string, as a mailbox row or AMQP header would carry it.
  const parent = propagation.extract(ROOT_CONTEXT, { traceparent });
  const consumer = tracer.startSpan("consume", { attributes: { "bss.service": "som" } }, parent);
  consumer.end();

  const { traceId, spanId } = producer.spanContext();
  assert.equal(consumer.spanContext().traceId, traceId);
  await telemetry.flush();
  const spans = await spansOfTrace(db.sql, traceId);
  const consumed = spans.find((s) => s.name === "consume");
  assert.equal(spans.length, 2);
  assert.equal(consumed?.parentSpanId, spanId);
  assert.equal(consumed?.service, "som");
});

Deno.test("no active span, no traceparent", () => {
  assert.equal(context.with(ROOT_CONTEXT, currentTraceparent), null);
});

Deno.test("log lines carry the active span's trace id", () => {
  const lines: string[] = [];
  configureLog("info", (line) => lines.push(line));
  try {
    const traceId = tracer.startActiveSpan("logged", (span) => {
      log.info("inside");
      span.end();
      return span.spanContext().traceId;
    });
    log.info("outside");
    const [inside, outside] = lines.map((l) => JSON.parse(l));
    assert.equal(inside.trace_id, traceId);
    assert.equal(outside.trace_id, undefined);
  } finally {
    configureLog("info", (line) => console.error(line));
  }
});

Deno.test("shutdown", async () => {
  await telemetry.shutdown();
  await db.drop();
});
