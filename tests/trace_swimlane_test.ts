/**
 * The trace swimlane: tree order, bar placement and exact width on a synthetic trace; then a
 * real order through the whole system, found by its order id and drawn within the width, and
 * the `bss trace` command over the same database.
 */
import assert from "node:assert/strict";
import { runTraceCommand } from "../cockpit/trace/command.ts";
import {
  spanSource,
  traceForOrder,
  traceForSubscription,
  traceGet,
} from "../kernel/telemetry/traces.ts";
import { MIN_WIDTH, renderSwimlane, treeOrder } from "../cockpit/trace/swimlane.ts";
import { cells, stripAnsi } from "../cockpit/render/text.ts";
import type { StoredSpan } from "../kernel/telemetry/query.ts";
import { order, signupCustomer } from "./support/signup.ts";
import { startSystem } from "./support/system.ts";
import { matchSnapshot } from "./snapshots/render_fixtures.ts";
import { TOKEN } from "./support/http.ts";

function span(
  spanId: string,
  parentSpanId: string | null,
  service: string,
  offsetMs: number,
  durationMs: number,
  extra: Partial<StoredSpan> = {},
): StoredSpan {
  return {
    traceId: "9f1c2d3e4a5b6c7d8e9f00112233aabb",
    spanId,
    parentSpanId,
    name: `${service} op ${spanId}`,
    service,
    kind: "INTERNAL",
    startTime: new Date(Date.UTC(2026, 5, 1, 9, 0, 0, offsetMs)),
    offsetMs,
    durationMs,
    statusCode: "UNSET",
    statusMessage: null,
    attributes: {},
    ...extra,
  };
}

// Given out of order: children must come under their parent, siblings by start.
const SPANS = [
  span("d", "b", "payment", 100, 150),
  span("c", "b", "crm", 40, 60, { statusCode: "ERROR" }),
  span("a", null, "cli", 0, 400, { attributes: { "bss.service.identity": "default" } }),
  span("b", "a", "subscription", 10, 390, {
    name: "subscription_line purchase_vas",
    attributes: { "bss.actor.kind": "subscription_line" },
  }),
  span("z", "gone", "bus", 395, 5),
];

Deno.test("swimlane: tree order (children by start, orphans last) and depths", () => {
  assert.deepEqual(
    treeOrder(SPANS).map((r) => `${r.span.spanId}${r.depth}`),
    ["a0", "b1", "c2", "d2", "z0"],
  );
});

for (const width of [MIN_WIDTH, 80, 120, 200]) {
  Deno.test(`swimlane at ${width}: header, rows and bars within the width`, async () => {
    const text = renderSwimlane(SPANS, { width, color: false });
    await matchSnapshot(`swimlane_${width}`, text);
    const lines = text.split("\n");
    for (const line of lines) assert.equal(cells(line), width, line);
    assert.equal(
      lines[0].trimEnd(),
      width >= 80
        ? "Trace 9f1c2d3e4a5b6c7d…  total 400ms  ·  5 spans  ·  5 services  ·  1 errors"
        : "Trace 9f1c2d3e4a5b6c7d… · total 400ms · 5 spans · 5 services · 1 errors",
    );
    const rows = lines.slice(2, 7);
    assert.match(rows[0], /^cli +default +┃━+┃ +400ms {2}cli op a/);
    assert.match(rows[1], /^ {2}subscription/);
    assert.match(rows[1], / \*\s*$/);
    assert.match(rows[2], /^ {4}crm .* ERR$/);
    assert.match(rows[3], /^ {4}payment/);
    // The root spans the whole bar; a later, shorter span starts further right.
    const start = (row: string) => row.indexOf("┃");
    assert.ok(start(rows[3]) > start(rows[2]));
    assert.ok(start(rows[2]) > start(rows[0]));
  });
}

Deno.test("swimlane: error rows red only with colour; empty trace", () => {
  const plain = renderSwimlane(SPANS, { width: 80, color: false });
  const colored = renderSwimlane(SPANS, { width: 80, color: true });
  assert.ok(!plain.includes("\x1b"));
  assert.equal(stripAnsi(colored), plain);
  assert.ok(colored.includes("\x1b[31m    crm"), "error row in red");
  assert.equal(renderSwimlane([], { width: 80, color: false }), "(empty trace)".padEnd(80));
});

Deno.test("swimlane: SQL spans hidden and counted unless asked for, statement shown", () => {
  const sql = span("s", "b", "subscription", 20, 2, {
    name: "sql",
    attributes: { "db.system": "postgresql", "db.statement": "select *\n  from subscription" },
  });
  const hidden = renderSwimlane([...SPANS, sql], { width: 100, color: false });
  assert.ok(!hidden.includes("select"));
  assert.match(hidden, /⋯ 1 SQL spans hidden — rerun with --show-sql to expand/);
  assert.match(hidden, /6 spans/);
  const shown = renderSwimlane([...SPANS, sql], { width: 100, color: false, showSql: true });
  assert.match(shown, /select \* from subscription/);
  assert.ok(!shown.includes("hidden"));
});

Deno.test("swimlane: a turn's SQL summary is shown beside its name", () => {
  const turn = span("t", "b", "subscription", 20, 9, {
    name: "subscription create",
    attributes: { "bss.sql.statements": 4, "bss.sql.ms": 3.6, "bss.sql.slowest": "select 1" },
  });
  const lines = renderSwimlane([...SPANS, turn], { width: 100, color: false });
  assert.match(lines, /subscription create · 4 SQL 4ms/);
  assert.ok(!lines.includes("hidden"));
});

Deno.test("swimlane: a deep trace keeps service names readable", () => {
  const deep = Array.from(
    { length: 20 },
    (_, i) => span(`s${i}`, i ? `s${i - 1}` : null, "subscription", i, 100 - i),
  );
  const lines = renderSwimlane(deep, { width: 80, color: false }).split("\n");
  for (const line of lines) assert.equal(cells(line), 80);
  assert.match(lines[21], /^ {10}subscri/);
});

Deno.test({
  name: "a real order's trace: found by order id, spans com, som, subscription and payment",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const system = await startSystem("trace_swimlane");
    try {
      const customerId = await signupCustomer(system.client);
      const placed = await order(system.client, customerId);
      assert.equal(placed.state, "completed");
      const store = spanSource(system.config, system.db.sql);
      // Work the order set off (events, effects) may still add spans after it completes: read
      // until two reads a moment apart agree, so every later comparison sees the same trace.
      let view = null;
      for (let seen = -1, i = 0; i < 50; i++) {
        await system.telemetry.flush();
        view = await traceForOrder(system.db.sql, store, placed.id);
        if (view && view.spans.length === seen) break;
        seen = view?.spans.length ?? -1;
        await new Promise((r) => setTimeout(r, 300));
      }
      assert.ok(view, "a trace id recorded on the order's events");
      assert.equal(view.facts.orderId, placed.id);
      for (const service of ["com", "som", "subscription", "payment"]) {
        assert.ok(view.facts.services.includes(service), `${service} in ${view.facts.services}`);
      }
      assert.equal(view.facts.spanCount, view.spans.length);
      for (const width of [80, 120]) {
        for (const showSql of [false, true]) {
          const text = renderSwimlane(view.spans, { width, color: false, showSql });
          for (const line of text.split("\n")) assert.equal(cells(line), width, line);
          if (showSql) assert.equal(text.split("\n").length, view.spans.length + 4);
        }
      }
      const again = await traceGet(store, view.facts.traceId);
      assert.equal(again.spans.length, view.spans.length);

      const subscriptionId = placed.productOrderItem[0].targetSubscriptionId!;
      const bySubscription = await traceForSubscription(system.db.sql, store, subscriptionId);
      assert.ok(bySubscription?.spans.length);
      assert.ok(
        !bySubscription.others?.some((t) => t.traceId === bySubscription.facts.traceId),
        "the shown trace is not listed again among the others",
      );
      assert.equal(await traceForOrder(system.db.sql, store, "ORD-NOPE"), null);

      const env = {
        BSS_DB_URL: system.db.url,
        BSS_API_TOKEN: TOKEN,
        BSS_LOG_LEVEL: "warn",
        BSS_OTEL_ENABLED: "false",
      };
      const out: string[] = [];
      const err: string[] = [];
      const io = { env, out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
      assert.equal(await runTraceCommand(["for-order", placed.id, "--width", "100"], io), 0);
      assert.match(out[0], /^Trace [0-9a-f]{16}…/);
      if (Deno.env.get("SHOW_TRACE")) console.log(out[0]);
      const [swimlane] = out[0].split("\n\nOther traces");
      for (const line of swimlane.split("\n")) assert.equal(cells(line), 100);
      assert.equal(await runTraceCommand(["get", view.facts.traceId, "--json"], io), 0);
      // Late consumers of the order's events may still add spans to its trace meanwhile.
      assert.ok(JSON.parse(out[1]).facts.spanCount >= view.spans.length);
      // The placement trace first, then the order's other traces (its creation call).
      assert.match(out[0], /service_order decompose/);
      assert.ok(view.others?.some((t) => t.eventType === "order.acknowledged"), "creation listed");
      assert.match(
        out[0],
        /\n\nOther traces of ORD-\S+ \(bss trace get <id>\):\n {2}[0-9a-f]{32} {2}\S+Z {2}order\.acknowledged/,
      );
      assert.equal(await runTraceCommand(["for-order", "ORD-NOPE"], io), 3);
      assert.match(err.at(-1)!, /^NOT_FOUND ORD-NOPE: no traced event of it/);
      assert.equal(await runTraceCommand(["get", "0".repeat(32)], io), 3);
      assert.equal(await runTraceCommand(["for-customer", "CUST-1"], io), 2);
      assert.equal(await runTraceCommand(["get", "abc", "--width", "x"], io), 2);
    } finally {
      await system.stop();
    }
  },
});
