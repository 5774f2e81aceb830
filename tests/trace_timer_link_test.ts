/**
 * A timer on the BSS clock fires in a trace of its own, linked to the one that armed it: a
 * line's renewals do not pile into its order's trace. A wall-clock delay (the provisioning
 * simulator's work time) stays in the trace it belongs to.
 */
import assert from "node:assert/strict";
import { context, trace } from "@opentelemetry/api";
import { ActorSystem } from "../actors/runtime/system.ts";
import type { ActorKind, Envelope } from "../actors/runtime/types.ts";
import { clock } from "../kernel/clock.ts";
import { spansOfTrace } from "../kernel/telemetry/query.ts";
import { startTelemetry } from "../kernel/telemetry/setup.ts";
import { freshDatabase } from "./support/db.ts";
import { testConfig } from "./support/http.ts";
import { until } from "./support/system.ts";

const db = await freshDatabase("trace_timer_link");
await clock.refresh(db.sql);
const telemetry = startTelemetry(testConfig({ BSS_OTEL_ENABLED: "true" }), db.sql, "test");
const fired = new Map<string, string>();

const alarm: ActorKind<Envelope & { type: "arm" | "delay" | "fire" }> = {
  kind: "alarm",
  handle(turn, m) {
    if (m.type === "arm") turn.tell("alarm", turn.key, { type: "fire" }, { deliverAt: turn.now() });
    else if (m.type === "delay") turn.tell("alarm", turn.key, { type: "fire" }, { delayMs: 1 });
    else fired.set(turn.key, trace.getActiveSpan()!.spanContext().traceId);
    return Promise.resolve(undefined);
  },
};

const system = new ActorSystem(db.sql, { pollMs: 20, workers: 1 });
system.register(alarm);
await system.start();

/** Sends `type` inside a root span; returns that trace's id and span id. */
async function armedIn(key: string, type: "arm" | "delay") {
  const root = trace.getTracer("test").startSpan("operator action");
  await context.with(
    trace.setSpan(context.active(), root),
    () => system.tell("alarm", key, { type }),
  );
  root.end();
  await until(() => Promise.resolve(fired.get(key)), Boolean, `${key} to fire`);
  return root.spanContext();
}

Deno.test("a BSS-clock timer starts a new trace with a link to the arming span", async () => {
  const arming = await armedIn("a1", "arm");
  const firedIn = fired.get("a1")!;
  assert.notEqual(firedIn, arming.traceId, "the timer fires in a trace of its own");
  await telemetry.flush();
  const [fire] = (await spansOfTrace(db.sql, firedIn)).filter((s) => s.name === "alarm fire");
  assert.equal(fire.parentSpanId, null, "the timer's span is a root");
  const armSpan = (await spansOfTrace(db.sql, arming.traceId)).find((s) => s.name === "alarm arm")!;
  assert.equal(fire.attributes["bss.armed_by"], `${arming.traceId}-${armSpan.spanId}`);
});

Deno.test("a wall-clock delay stays in the trace that asked for it", async () => {
  const arming = await armedIn("d1", "delay");
  assert.equal(fired.get("d1"), arming.traceId);
});

Deno.test("teardown", async () => {
  await system.stop();
  await telemetry.shutdown();
  await db.drop();
});
