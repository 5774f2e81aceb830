/**
 * Sweeps start traces of their own, linked to the trace that armed the work (README, issue 9
 * in "Status"): the stuck-order sweep to the order's placement trace, the renewal tick to the
 * line's activation trace, the reservation sweep to the trace that reserved the line. The
 * arming traceparent is stored with the row when the row is written in a trace.
 */
import assert from "node:assert/strict";
import { trace } from "@opentelemetry/api";
import { sweepStuckOrders } from "../actors/com/stuck_sweeper.ts";
import { claimMsisdn } from "../actors/inventory/msisdn_store.ts";
import { sweepAbandonedReservations } from "../actors/inventory/reservation_sweeper.ts";
import type { ActorSystem } from "../actors/runtime/system.ts";
import { tickRenewalsNow } from "../actors/subscription/sweep.ts";
import { clock } from "../kernel/clock.ts";
import { currentTraceparent } from "../kernel/events.ts";
import { spansOfTrace, type StoredSpan } from "../kernel/telemetry/query.ts";
import { startTelemetry } from "../kernel/telemetry/setup.ts";
import { freshDatabase } from "./support/db.ts";
import { testConfig } from "./support/http.ts";

const db = await freshDatabase("trace_sweep_link");
await clock.refresh(db.sql);
const telemetry = startTelemetry(testConfig({ BSS_OTEL_ENABLED: "true" }), db.sql, "test");
const tracer = trace.getTracer("test");
const LONG_AGO = new Date(Date.now() - 30 * 86400_000);

/** Runs `fn` in a root span standing for the request that armed the work; its traceparent. */
function armedIn<T>(name: string, fn: (traceparent: string) => Promise<T>) {
  return tracer.startActiveSpan(name, async (span) => {
    try {
      return { traceparent: currentTraceparent()!, result: await fn(currentTraceparent()!) };
    } finally {
      span.end();
    }
  });
}

/** The one stored span named `name` in the trace of the audit row of `aggregateId`. */
async function sweepSpanOf(aggregateId: string, name: string): Promise<StoredSpan> {
  await telemetry.flush();
  const [row] = await db.sql`
    select trace_id from audit.domain_event where aggregate_id = ${aggregateId}
    order by id desc limit 1`;
  assert.ok(row?.trace_id, `an audit row of ${aggregateId} with a trace`);
  const spans = (await spansOfTrace(db.sql, row.trace_id)).filter((s) => s.name === name);
  assert.equal(spans.length, 1, `one ${name} span in ${row.trace_id}`);
  return spans[0];
}

/** Asserts `span` is a root whose arming span is the one of `traceparent`. */
function assertLinked(span: StoredSpan, traceparent: string) {
  const [, traceId, spanId] = traceparent.split("-");
  assert.notEqual(span.traceId, traceId, "the sweep runs in a trace of its own");
  assert.equal(span.parentSpanId, null, "the sweep's span is a root");
  assert.equal(span.attributes["bss.armed_by"], `${traceId}-${spanId}`);
}

Deno.test("the stuck-order sweep: one linked trace per flagged order", async () => {
  const { traceparent } = await armedIn("place order", async (tp) => {
    await db.sql`
      insert into order_mgmt.product_order (id, customer_id, state, order_date,
        placed_traceparent)
      values ('ORD-STUCK-1', 'CUST-1', 'in_progress', ${LONG_AGO}, ${tp})`;
  });
  assert.deepEqual(await sweepStuckOrders(db.sql, 60), ["ORD-STUCK-1"]);
  assertLinked(await sweepSpanOf("ORD-STUCK-1", "order stuck-sweep"), traceparent);
});

Deno.test("the reservation sweep: the release is linked to the reserving trace", async () => {
  await db.sql`insert into inventory.msisdn_pool (msisdn) values ('99990001')`;
  const { traceparent, result } = await armedIn(
    "reserve line",
    () => db.sql.begin((tx) => claimMsisdn(tx, LONG_AGO, "99990001")),
  );
  assert.equal(result?.msisdn, "99990001");
  const [stored] = await db.sql`
    select reserved_traceparent from inventory.msisdn_pool where msisdn = '99990001'`;
  assert.equal(stored.reserved_traceparent, traceparent, "the reservation keeps its trace");
  const freed = await sweepAbandonedReservations(db.sql, {
    ttlSeconds: 60,
    holderWantsLine: () => Promise.resolve(false),
  });
  assert.deepEqual(freed, ["99990001"]);
  assertLinked(await sweepSpanOf("99990001", "inventory reservation-sweep"), traceparent);
});

Deno.test("the renewal tick: each due line's renewal is asked in a trace linked to its activation", async () => {
  const { traceparent } = await armedIn("activate line", async (tp) => {
    await db.sql`
      insert into subscription.subscription (id, customer_id, offering_id, msisdn, iccid,
        state, payment_method_id, price_amount, price_currency, price_offering_price_id,
        activated_at, current_period_start, current_period_end, next_renewal_at,
        activated_traceparent)
      values ('SUB-TICK-1', 'CUST-1', 'PLAN_M', '99990002', '8910101000000000099', 'active',
        'PM-1', 10, 'SGD', 'PRICE_M', ${LONG_AGO}, ${LONG_AGO}, ${LONG_AGO}, ${LONG_AGO}, ${tp})`;
  });
  const askedIn: string[] = [];
  // The tick's own tracing is under test here; the ask's propagation is the runtime's.
  const system = {
    ask: () => {
      askedIn.push(trace.getActiveSpan()!.spanContext().traceId);
      return Promise.resolve({});
    },
  } as unknown as ActorSystem;
  assert.equal(await tickRenewalsNow(db.sql, system), 1);
  await telemetry.flush();
  const [tick] = (await spansOfTrace(db.sql, askedIn[0]))
    .filter((s) => s.name === "subscription renewal tick");
  assertLinked(tick, traceparent);
});

Deno.test("teardown", async () => {
  await telemetry.shutdown();
  await db.drop();
});
