/**
 * One business flow is one trace: an HTTP request asks an actor, whose event crosses the
 * outbox and the bridge (RabbitMQ, or Postgres without a broker) into a second actor, which
 * calls a second service over HTTP. Every hop's span is read back from the span store and
 * must carry the trace id of the first request.
 */
import assert from "node:assert/strict";
import { trace } from "@opentelemetry/api";
import { z } from "zod";
import { startBridge } from "../actors/bridge/bridge.ts";
import { ActorSystem } from "../actors/runtime/system.ts";
import type { ActorKind } from "../actors/runtime/types.ts";
import { clock } from "../kernel/clock.ts";
import { loadConfig } from "../kernel/config.ts";
import { spansOfTrace, traceSummary } from "../kernel/telemetry/query.ts";
import { startTelemetry } from "../kernel/telemetry/setup.ts";
import { createClient } from "../http/client.ts";
import { defineRoute, endpoint } from "../http/route.ts";
import { runPrefix, waitFor } from "./support/bridge.ts";
import { BROKER_URL, deleteQueues, leaseBroker } from "./support/broker.ts";
import { freshDatabase } from "./support/db.ts";
import { serveTest, TOKEN } from "./support/http.ts";

const pingRoute = defineRoute({
  method: "POST",
  path: "/demo/ping/:key",
  summary: "Asks the ping actor",
  params: z.object({ key: z.string() }),
  response: z.object({ pinged: z.string() }),
});
const echoRoute = defineRoute({
  method: "POST",
  path: "/demo/echo/:key",
  summary: "Records that the pong actor called back",
  params: z.object({ key: z.string() }),
  response: z.object({ echoed: z.string() }),
});

for (const broker of [false, true]) {
  Deno.test({
    name: `one trace spans HTTP → actor → outbox → ${
      broker ? "RabbitMQ" : "Postgres relay"
    } → actor → HTTP`,
    ignore: broker && !BROKER_URL,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const release = broker ? await leaseBroker("shared") : undefined;
      const db = await freshDatabase(`trace_${broker ? "mq" : "pg"}`);
      await clock.refresh(db.sql);
      const run = runPrefix();
      const echoed: string[] = [];
      const env = {
        BSS_API_TOKEN: TOKEN,
        BSS_OUTBOX_RELAY_INTERVAL_MS: "50",
        ...(broker ? { BSS_RABBITMQ_URL: BROKER_URL! } : {}),
      };
      const beta = serveTest({
        sql: db.sql,
        service: "som",
        endpoints: [endpoint(echoRoute, ({ params }) => {
          echoed.push(params.key);
          return { echoed: params.key };
        })],
      });
      const betaClient = createClient({ baseUrl: beta.url, token: TOKEN, service: "som" });
      const ping: ActorKind = {
        kind: `${run}_ping`,
        service: "com",
        handle(turn) {
          turn.emit({
            type: `${run}.pinged`,
            aggregateType: "ping",
            aggregateId: turn.key,
            payload: { key: turn.key },
          });
          return { pinged: turn.key };
        },
      };
      const pong: ActorKind = {
        kind: `${run}_pong`,
        service: "som",
        async handle(turn) {
          await betaClient.call(echoRoute, { params: { key: turn.key } });
        },
      };
      const system = new ActorSystem(db.sql, { pollMs: 20 });
      system.register(ping).register(pong);
      const alpha = serveTest({
        sql: db.sql,
        service: "com",
        endpoints: [
          endpoint(pingRoute, ({ params }) => system.ask(ping.kind, params.key, { type: "ping" })),
        ],
      });
      const config = loadConfig(env);
      const telemetry = startTelemetry(config, db.sql, "test");
      const bridge = await startBridge({
        sql: db.sql,
        config,
        bindings: [{
          queue: `${run}.pong`,
          pattern: `${run}.pinged`,
          to: (e) => ({ kind: pong.kind, key: String(e.payload.key), message: { type: "pong" } }),
        }],
      });
      await system.start();
      try {
        const traceId = await trace.getTracer("test").startActiveSpan("scenario", async (root) => {
          const client = createClient({ baseUrl: alpha.url, token: TOKEN, service: "cli" });
          assert.deepEqual(await client.call(pingRoute, { params: { key: "k1" } }), {
            pinged: "k1",
          });
          root.end();
          return root.spanContext().traceId;
        });
        await waitFor(() => Promise.resolve(echoed.includes("k1")), "the pong actor's HTTP call");
        await new Promise((r) => setTimeout(r, 50));
        await telemetry.flush();
        const spans = await spansOfTrace(db.sql, traceId);
        const summary = traceSummary(spans);
        const names = spans.map((s) => `${s.service}:${s.name}`);
        const has = (re: RegExp) =>
          assert.ok(names.some((n) => re.test(n)), `${re} in\n${names.join("\n")}`);
        has(/^com:POST \/demo\/ping\/:key$/); // alpha's server span
        has(new RegExp(`^com:${ping.kind} ping$`)); // the ping actor
        if (broker) {
          has(/:publish bss\.events$/); // relay → RabbitMQ
          has(new RegExp(`:process ${run}\\.pong$`)); // RabbitMQ → consumer
        } else has(new RegExp(`:deliver ${run}\\.pinged$`)); // relay → mailbox
        has(new RegExp(`^som:${pong.kind} pong$`)); // the pong actor
        has(/^som:POST \/demo\/echo\/:key$/); // beta's server span
        assert.ok(summary.services.includes("com") && summary.services.includes("som"));
        assert.equal(summary.errorSpanCount, 0);
        // Every span hangs off one root: the tree is connected.
        const ids = new Set(spans.map((s) => s.spanId));
        const orphans = spans.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId));
        assert.deepEqual(orphans.map((s) => s.name), []);
      } finally {
        await system.stop();
        await bridge.stop();
        await telemetry.shutdown();
        await alpha.stop();
        await beta.stop();
        if (broker) await deleteQueues([`${run}.pong`]);
        await db.drop();
        await release?.();
      }
    },
  });
}
