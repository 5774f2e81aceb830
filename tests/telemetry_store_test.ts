import assert from "node:assert/strict";
import { SpanStatusCode, trace } from "@opentelemetry/api";
import { ActorSystem } from "../actors/runtime/system.ts";
import { clock } from "../kernel/clock.ts";
import { loadConfig } from "../kernel/config.ts";
import { pool } from "../kernel/db/connect.ts";
import { configureLog } from "../kernel/log.ts";
import { spansOfTrace, traceSummary } from "../kernel/telemetry/query.ts";
import { startTelemetry } from "../kernel/telemetry/setup.ts";
import { SpanStore } from "../kernel/telemetry/span_store.ts";
import type { Span as SdkSpan } from "@opentelemetry/sdk-trace";
import { counterKind, createCounterTables } from "./support/actors.ts";
import { freshDatabase } from "./support/db.ts";

const config = loadConfig({ BSS_API_TOKEN: "t".repeat(40) });
const db = await freshDatabase("telemetry_store");
const telemetry = startTelemetry(config, db.sql, "bss-test");
const tracer = trace.getTracer("test");

/** Runs `fn` in a root span with `service` and returns the trace id. */
function rootSpan(name: string, service: string | undefined, fn: () => unknown = () => {}) {
  const attributes = service ? { "bss.service": service } : {};
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      await fn();
    } finally {
      span.end();
    }
    return span.spanContext().traceId;
  });
}

Deno.test("spans land with parent links and inherited services", async () => {
  const traceId = await rootSpan("root", "crm", () => {
    tracer.startActiveSpan("child", (child) => {
      tracer.startSpan("grandchild").end();
      child.setStatus({ code: SpanStatusCode.ERROR, message: "boom" });
      child.end();
    });
    tracer.startSpan("other", { attributes: { "bss.service": "com" } }).end();
  });
  await telemetry.flush();
  const spans = await spansOfTrace(db.sql, traceId);
  const by = Object.fromEntries(spans.map((s) => [s.name, s]));
  assert.deepEqual(spans.map((s) => s.name).sort(), ["child", "grandchild", "other", "root"]);
  assert.ok(spans.every((s, i) => i === 0 || spans[i - 1].startTime <= s.startTime));
  assert.equal(by.root.parentSpanId, null);
  assert.equal(by.child.parentSpanId, by.root.spanId);
  assert.equal(by.grandchild.parentSpanId, by.child.spanId);
  assert.deepEqual(spans.map((s) => [s.name, s.service]).sort(), [
    ["child", "crm"],
    ["grandchild", "crm"],
    ["other", "com"],
    ["root", "crm"],
  ]);
  assert.equal(by.child.statusCode, "ERROR");
  assert.equal(by.child.statusMessage, "boom");
  assert.equal(by.root.kind, "INTERNAL");
  assert.equal(by.root.attributes["bss.service"], "crm");
  const summary = traceSummary(spans);
  assert.deepEqual(
    { ...summary, totalMs: undefined },
    {
      traceId,
      spanCount: 4,
      serviceCount: 2,
      services: ["com", "crm"],
      errorSpanCount: 1,
      totalMs: undefined,
    },
  );
  assert.ok(summary.totalMs >= by.root.durationMs && summary.totalMs < 1000);
});

Deno.test("a span with no service of its own or of an ancestor gets the fallback", async () => {
  const traceId = await rootSpan("lonely", undefined);
  await telemetry.flush();
  const [span] = await spansOfTrace(db.sql, traceId);
  assert.equal(span.service, "bss-test");
});

/** Asks `counter` c1 to add once, as `cockpit`, and returns the stored spans of that trace. */
async function countedTurn(sqlSpans: "statement" | "summary") {
  await createCounterTables(db.sql);
  await clock.refresh(db.sql);
  const system = new ActorSystem(db.sql, { pollMs: 20, sqlSpans });
  system.register({ ...counterKind, service: "crm" });
  await system.start();
  try {
    const traceId = await rootSpan("cockpit turn", "cockpit", async () => {
      await system.ask("counter", "c1", { type: "add" });
    });
    await telemetry.flush();
    const spans = await spansOfTrace(db.sql, traceId);
    const ask = spans.find((s) => s.name === "ask counter add")!;
    const turn = spans.find((s) => s.name === "counter add")!;
    assert.equal(ask.service, "cockpit");
    assert.equal(turn.kind, "CONSUMER");
    assert.equal(turn.parentSpanId, ask.spanId);
    assert.equal(turn.service, "crm");
    assert.deepEqual(traceSummary(spans).services, ["cockpit", "crm"]);
    return { spans, turn };
  } finally {
    await system.stop();
  }
}

Deno.test("actor turns: by default the turn's span carries its SQL summary, no span per statement", async () => {
  const { spans, turn } = await countedTurn("summary");
  assert.equal(spans.filter((s) => s.name === "sql").length, 0);
  const a = turn.attributes;
  assert.ok(Number(a["bss.sql.statements"]) >= 2, JSON.stringify(a));
  assert.ok(Number(a["bss.sql.ms"]) >= Number(a["bss.sql.slowest_ms"]));
  assert.match(String(a["bss.sql.slowest"]), /counter/);
});

Deno.test("actor turns: BSS_OTEL_SQL_SPANS=statement gives each statement a span of the turn's service", async () => {
  const { spans, turn } = await countedTurn("statement");
  const statements = spans.filter((s) => s.name === "sql");
  assert.ok(statements.length >= 2);
  for (const s of statements) {
    assert.equal(s.parentSpanId, turn.spanId);
    assert.equal(s.service, "crm");
    assert.match(String(s.attributes["db.statement"]), /\S/);
  }
  assert.equal(turn.attributes["bss.sql.statements"], undefined);
});

Deno.test("a second start does not break the first; each shutdown flushes its own store", async () => {
  const other = await freshDatabase("telemetry_store_2");
  try {
    const second = startTelemetry(config, other.sql, "second");
    const traceId = await rootSpan("both", "crm");
    await second.shutdown();
    assert.equal((await spansOfTrace(other.sql, traceId)).length, 1);
    const later = await rootSpan("first only", "crm");
    await telemetry.flush();
    assert.equal((await spansOfTrace(db.sql, traceId)).length, 1);
    assert.equal((await spansOfTrace(db.sql, later)).length, 1);
    assert.equal((await spansOfTrace(other.sql, later)).length, 0);
  } finally {
    await other.drop();
  }
});

/** Feeds `count` fresh spans to `store` the way the provider would. */
function feed(store: SpanStore, count: number, service?: string): string {
  const attributes = service ? { "bss.service": service } : {};
  const probe = trace.getTracer("probe");
  let traceId = "";
  for (let i = 0; i < count; i++) {
    const span = probe.startSpan(`s${i}`, { attributes }) as unknown as SdkSpan;
    store.onStart(span);
    span.end();
    store.onEnd(span);
    traceId = span.spanContext().traceId;
  }
  return traceId;
}

Deno.test("disabled telemetry adds no store", async () => {
  const other = await freshDatabase("telemetry_store_off");
  try {
    const off = startTelemetry(
      loadConfig({ BSS_API_TOKEN: "t".repeat(40), BSS_OTEL_ENABLED: "false" }),
      other.sql,
      "off",
    );
    const traceId = await rootSpan("unseen", "crm");
    await off.shutdown();
    assert.equal((await spansOfTrace(other.sql, traceId)).length, 0);
  } finally {
    await other.drop();
  }
});

Deno.test("an unreachable Postgres costs the oldest spans, never the caller", async () => {
  const lines: string[] = [];
  configureLog("info", (line) => lines.push(line));
  const nowhere = pool("postgres://postgres@127.0.0.1:1/none", 1);
  try {
    const store = new SpanStore(nowhere, "x", { batchSize: 10, maxQueue: 50, intervalMs: 10 });
    feed(store, 200);
    const { queued, dropped } = store.stats();
    assert.ok(queued <= 50 + 10, `queued ${queued}`);
    assert.ok(dropped >= 200 - 50 - 2 * 10, `dropped ${dropped}`);
    await store.shutdown();
    assert.deepEqual(store.stats(), { queued: 0, written: 0, dropped: 200 });
    assert.deepEqual(
      lines.map((l) => JSON.parse(l)).map((l) => [l.msg, l.dropped]),
      [["telemetry.span_store_failed", undefined], ["telemetry.spans_dropped", 200]],
    );
  } finally {
    configureLog("info", (line) => console.error(line));
    await nowhere.end();
  }
});

Deno.test("shutdown writes what is queued", async () => {
  const store = new SpanStore(db.sql, "x", { intervalMs: 60_000 });
  const traceId = feed(store, 1, "crm");
  assert.equal((await spansOfTrace(db.sql, traceId)).length, 0);
  await store.shutdown();
  assert.equal((await spansOfTrace(db.sql, traceId)).length, 1);
  assert.deepEqual(store.stats(), { queued: 0, written: 1, dropped: 0 });
});

Deno.test("startTelemetry's shutdown flushes its store", async () => {
  const traceId = await rootSpan("last words", "crm");
  await telemetry.shutdown();
  assert.equal((await spansOfTrace(db.sql, traceId)).length, 1);
  await db.drop();
});
