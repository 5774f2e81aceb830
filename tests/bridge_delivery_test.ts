/**
 * The bridge's behaviour, written once and run on both paths: brokerless (the relay delivers
 * into the mailboxes) and broker (relay → RabbitMQ → consumers; ignored without
 * BSS_RABBITMQ_URL). Events reach every bound mailbox exactly once, a redelivered event is
 * deduped, a poison event parks, and the trace runs from the producer into the actor.
 */
import assert from "node:assert/strict";
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { EVENTS_EXCHANGE } from "../actors/bridge/amqp/topology.ts";
import { startBridge } from "../actors/bridge/bridge.ts";
import type { Binding } from "../actors/bridge/types.ts";
import { ActorSystem } from "../actors/runtime/system.ts";
import type { Sql } from "../kernel/db/types.ts";
import { type DomainEvent, stageEvent, writeEvents } from "../kernel/events.ts";
import { configureLog } from "../kernel/log.ts";
import { counterDatabase, counterKind } from "./support/actors.ts";
import {
  bridgeConfig,
  counterBinding,
  handledSeqs,
  runPrefix,
  seqs,
  waitFor,
} from "./support/bridge.ts";
import { BROKER_URL, deleteQueues, leaseBroker, takeParked } from "./support/broker.ts";

// Tracing as a service process sets it up, with the finished spans kept in memory.
const spans = new InMemorySpanExporter();
trace.setGlobalTracerProvider(
  new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] }),
);
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracer = trace.getTracer("test");

const logs: { msg: string; event_id?: string; message_id?: string }[] = [];
configureLog("info", (line) => logs.push(JSON.parse(line)));

/** What differs between the two paths. */
interface Path {
  name: string;
  env: Record<string, string | undefined>;
  ignore: boolean;
  /** Deliveries that fail and come back before a poison event parks. */
  retries: number;
  /** Keeps the broker from being stopped meanwhile (by the outage test). */
  lease(): Promise<() => Promise<void>>;
  /** The events parked for `queue` (the broker's are taken off their parking queue). */
  parked(sql: Sql, queue: string): Promise<{ eventId: string; reason: string }[]>;
  /** Span names from the handling actor's span up to the emitting span. */
  chain(queue: string, eventType: string): string[];
  cleanup(queues: string[]): Promise<void>;
}

const paths: Path[] = [{
  name: "brokerless",
  env: {},
  ignore: false,
  retries: 0,
  lease: () => Promise.resolve(() => Promise.resolve()),
  parked: (sql, queue) =>
    sql<{ eventId: string; reason: string }[]>`
      select event_id as "eventId", reason from bus.parked where queue = ${queue}`,
  chain: (_queue, type) => ["counter add", `deliver ${type}`, "test emit"],
  cleanup: () => Promise.resolve(),
}, {
  name: "broker",
  env: { BSS_RABBITMQ_URL: BROKER_URL },
  ignore: !BROKER_URL,
  retries: 2,
  lease: () => leaseBroker("shared"),
  parked: (_sql, queue) => takeParked(queue),
  chain: (queue) => ["counter add", `process ${queue}`, `publish ${EVENTS_EXCHANGE}`, "test emit"],
  cleanup: deleteQueues,
}];

/** Names of `span` and its ancestors among the finished spans. */
function ancestry(span: ReadableSpan, byId: Map<string, ReadableSpan>): string[] {
  const names = [span.name];
  for (let s = span; s.parentSpanContext && byId.has(s.parentSpanContext.spanId);) {
    s = byId.get(s.parentSpanContext.spanId)!;
    names.push(s.name);
  }
  return names;
}

for (const path of paths) {
  Deno.test({
    name: `bridge (${path.name}): deliver once to every bound mailbox, dedupe, park, trace`,
    ignore: path.ignore,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn(t) {
      const p = runPrefix();
      const [k1, k2, all] = [`${p}-k1`, `${p}-k2`, `${p}-all`];
      const type = `${p}.counter.add`;
      const poisonQueue = `${p}.poison`;
      const bindings: Binding[] = [
        counterBinding(`${p}.counter`, `${p}.counter.*`, (e) => String(e.payload.key)),
        counterBinding(`${p}.all`, `${p}.#.add`, () => all),
        {
          queue: poisonQueue,
          pattern: `${p}.poison.*`,
          to: () => {
            throw new Error("poison on purpose");
          },
        },
      ];
      const release = await path.lease();
      const db = await counterDatabase(`bridge_${path.name}`);
      const system = new ActorSystem(db.sql, { pollMs: 20 });
      system.register(counterKind);
      await system.start();
      const bridge = await startBridge({
        sql: db.sql,
        config: bridgeConfig(path.env),
        bindings,
      });
      const stage = (events: DomainEvent[]) =>
        tracer.startActiveSpan("test emit", async (span) => {
          const staged = events.map((e) => stageEvent(e));
          span.end();
          await writeEvents(db.sql, staged);
          return staged;
        });
      const event = (type: string, payload: Record<string, unknown>): DomainEvent => ({
        type,
        aggregateType: "test",
        aggregateId: String(payload.seq),
        payload,
      });

      try {
        const staged = await stage(
          seqs(20).map((seq) => event(type, { key: seq % 2 ? k1 : k2, seq })),
        );

        await t.step("events reach every bound mailbox exactly once, in order", async () => {
          await waitFor(async () => (await handledSeqs(db.sql, all)).length >= 20, "20 on all");
          await waitFor(
            async () =>
              (await handledSeqs(db.sql, k1)).length + (await handledSeqs(db.sql, k2)).length >= 20,
            "20 on k1 + k2",
          );
          assert.deepEqual(await handledSeqs(db.sql, k1), seqs(20).filter((s) => s % 2));
          assert.deepEqual(await handledSeqs(db.sql, k2), seqs(20).filter((s) => !(s % 2)));
          assert.deepEqual(await handledSeqs(db.sql, all), seqs(20));
          const ids = staged.map((e) => e.eventId);
          await waitFor(async () =>
            (await db.sql`select count(*)::int c from bus.outbox
              where event_id = any(${ids}::uuid[])`)[0].c === 0, "outbox drained");
          const [flags] = await db.sql`
            select bool_and(published_to_mq) published, max(published_attempts)::int attempts
            from audit.domain_event where event_id = any(${ids}::uuid[])`;
          assert.deepEqual({ ...flags }, { published: true, attempts: 1 });
        });

        await t.step("a redelivered event is deduped by the inbox", async () => {
          const again = staged[0];
          await db.sql`insert into bus.outbox (event_id, event_type, payload, traceparent)
            values (${again.eventId}, ${again.type}, ${JSON.stringify(again.payload)}::text::jsonb,
              ${again.traceparent})`;
          const skipped = () =>
            logs.filter((l) => l.msg === "inbox.duplicate.skipped" && l.event_id === again.eventId);
          // Two bindings, two skips; a relay pass that rolled back after logging (the database
          // dropped the connection, say) logs them again when its retry finds the claims.
          await waitFor(() => Promise.resolve(skipped().length >= 2), "two duplicates skipped")
            .catch((e) => {
              const relay = logs.filter((l) => l.msg.startsWith("outbox.relay"));
              throw new Error(`${e.message}; relay logs: ${JSON.stringify(relay)}`);
            });
          assert.equal(skipped().length % 2, 0);
          assert.equal((await handledSeqs(db.sql, k1)).length, 10);
          assert.equal((await handledSeqs(db.sql, all)).length, 20);
          const [pending] = await db.sql`select count(*)::int c from actor.mailbox
            where key in (${k1}, ${all})`;
          assert.equal(pending.c, 0);
        });

        await t.step("a poison event parks, visibly, and nothing else is affected", async () => {
          const [poison] = await stage([event(`${p}.poison.bad`, { seq: 99 })]);
          let parked: { eventId: string; reason: string }[] = [];
          await waitFor(async () => {
            parked = await path.parked(db.sql, poisonQueue);
            return parked.length > 0;
          }, "the poison event parked");
          assert.deepEqual(parked.map((x) => x.eventId), [poison.eventId]);
          assert.match(parked[0].reason, /poison on purpose/);
          const retried = logs.filter((l) =>
            l.msg === "mq.message.retry" && l.message_id === poison.eventId
          );
          assert.equal(retried.length, path.retries);
          assert.equal((await handledSeqs(db.sql, all)).length, 20);
        });

        await t.step(
          "the trace runs from the emitting span through the bridge into the actor",
          () => {
            const finished = spans.getFinishedSpans();
            const byId = new Map(finished.map((s) => [s.spanContext().spanId, s]));
            const handled = finished.filter((s) =>
              s.name === "counter add" && [k1, k2].includes(String(s.attributes["bss.actor.key"]))
            );
            assert.equal(handled.length, 20);
            const traceId = staged[0].traceId;
            for (const span of handled) {
              assert.equal(span.spanContext().traceId, traceId);
              assert.deepEqual(ancestry(span, byId), path.chain(`${p}.counter`, type));
            }
          },
        );
      } finally {
        await bridge.stop();
        await system.stop();
        await path.cleanup(bindings.map((b) => b.queue));
        await db.drop();
        await release();
      }
    },
  });
}
