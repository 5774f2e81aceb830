/**
 * The broker goes away mid-stream and comes back: a stream of events keeps being staged
 * while RabbitMQ is stopped (`rabbitmqctl stop_app`) and restarted (`start_app`); every event
 * still takes effect exactly once. Ignored without BSS_RABBITMQ_URL.
 */
import assert from "node:assert/strict";
import { startBridge } from "../actors/bridge/bridge.ts";
import { ActorSystem } from "../actors/runtime/system.ts";
import { emit } from "../kernel/events.ts";
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
import { BROKER_URL, deleteQueues, leaseBroker, rabbitmqctl } from "./support/broker.ts";

const N = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test({
  name: "bridge (broker): stopping and restarting RabbitMQ mid-stream loses nothing",
  ignore: !BROKER_URL,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const events: string[] = [];
    configureLog("info", (line) => events.push(JSON.parse(line).msg));
    const release = await leaseBroker("exclusive");
    const p = runPrefix();
    const key = `${p}-stream`;
    const bindings = [counterBinding(`${p}.stream`, `${p}.stream.*`, () => key)];
    const db = await counterDatabase("bridge_outage");
    const system = new ActorSystem(db.sql, { pollMs: 20 });
    system.register(counterKind);
    await system.start();
    const bridge = await startBridge({
      sql: db.sql,
      config: bridgeConfig({ BSS_RABBITMQ_URL: BROKER_URL }),
      bindings,
    });
    const stage = (seq: number) =>
      emit(db.sql, {
        type: `${p}.stream.tick`,
        aggregateType: "test",
        aggregateId: String(seq),
        payload: { seq },
      });
    let outage: Promise<void> | undefined;
    try {
      for (const seq of seqs(N)) {
        // A quarter in, the broker stops; half-way, once it is down, it starts again.
        if (seq === N / 4) outage = rabbitmqctl("stop_app");
        if (seq === N / 2) {
          await outage;
          outage = rabbitmqctl("start_app");
        }
        await stage(seq);
        await sleep(10);
      }
      await outage;
      await waitFor(
        async () => (await handledSeqs(db.sql, key)).length >= N,
        `${N} effects`,
        40_000,
      );
      // Events that failed over are published again later, so only the set is in order.
      const handled = await handledSeqs(db.sql, key);
      assert.deepEqual(handled.toSorted((a, b) => a - b), seqs(N));
      // The connection really dropped and came back.
      assert.ok(events.includes("mq.disconnected"));
      assert.equal(events.filter((m) => m === "mq.connected").length, 2);
      const [outbox] = await db.sql`select count(*)::int c from bus.outbox
        where event_type = ${`${p}.stream.tick`}`;
      assert.equal(outbox.c, 0);
    } finally {
      await outage?.catch(() => {});
      await rabbitmqctl("start_app");
      await bridge.stop();
      await system.stop();
      await deleteQueues(bindings.map((b) => b.queue));
      await db.drop();
      await release();
    }
  },
});
