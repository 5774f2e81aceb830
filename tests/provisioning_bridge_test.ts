/**
 * The simulator as SOM reaches it: `provisioning.task.created` staged in the outbox crosses
 * the brokerless bridge (the simulator's own bindings) into a new task, spawned by the intake's
 * turn, whose
 * `provisioning.task.completed` is staged in turn; a malformed request parks. The work takes
 * wall-clock time, so it completes while the BSS clock is frozen.
 */
import assert from "node:assert/strict";
import { startBridge } from "../actors/bridge/bridge.ts";
import { ActorSystem } from "../actors/runtime/system.ts";
import { clock } from "../kernel/clock.ts";
import { emit } from "../kernel/events.ts";
import { bindings, provisioningKinds, seedReferenceData } from "../http/provisioning/index.ts";
import { bridgeConfig, waitFor } from "./support/bridge.ts";
import { freshDatabase } from "./support/db.ts";

Deno.test({
  name: "provisioning.task.created → a task → provisioning.task.completed, through the bridge",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const db = await freshDatabase("provisioning_bridge");
    await clock.refresh(db.sql);
    await seedReferenceData(db.sql);
    const system = new ActorSystem(db.sql, { pollMs: 20, workers: 1 });
    for (const kind of provisioningKinds({ delayScale: 0.05 })) system.register(kind);
    await system.start();
    const bridge = await startBridge({ sql: db.sql, config: bridgeConfig(), bindings });
    const frozenAt = new Date("2031-03-04T05:06:07.000Z");
    await clock.freeze(db.sql, frozenAt);
    try {
      const created = {
        serviceId: "SVC-0001",
        serviceOrderId: "SO-0001",
        commercialOrderId: "ORD-0001",
        taskType: "HLR_PROVISION",
        payload: { msisdn: "90000000", iccid: "8910101000000000000", imsi: "525010000000000" },
      };
      await db.sql.begin(async (tx) => {
        await emit(tx, {
          type: "provisioning.task.created",
          aggregateType: "ProvisioningTask",
          aggregateId: "SVC-0001:HLR_PROVISION",
          payload: created,
        }, {
          type: "provisioning.task.created",
          aggregateType: "ProvisioningTask",
          aggregateId: "SVC-0002:HLR_PROVISION",
          payload: { serviceId: "SVC-0002", taskType: "HLR_PROVISION" },
        });
      });

      const completed = async () =>
        await db.sql`select aggregate_id, payload from audit.domain_event
          where event_type = 'provisioning.task.completed'`;
      await waitFor(async () => (await completed()).length === 1, "provisioning.task.completed");
      const [event] = await completed();
      const [task] = await db.sql`select id, state, payload, completed_at
        from provisioning.provisioning_task`;
      assert.equal(event.aggregate_id, task.id);
      assert.equal(task.state, "completed");
      assert.equal(task.completed_at.toISOString(), frozenAt.toISOString());
      // The intake created the task in its own turn; the task actor only ended its work.
      const turns = await db.sql`select kind, type from actor.history order by id`;
      assert.deepEqual(turns.map((t) => `${t.kind} ${t.type}`), [
        "provisioning_intake request",
        "provisioning_task finish",
      ]);
      assert.deepEqual(task.payload, created.payload);
      assert.deepEqual(event.payload, {
        taskId: task.id,
        serviceId: "SVC-0001",
        serviceOrderId: "SO-0001",
        commercialOrderId: "ORD-0001",
        taskType: "HLR_PROVISION",
        attempts: 1,
        maxAttempts: 3,
        completedAt: task.completed_at.toISOString(),
      });
      // The created event was taken once by the simulator's queue; the result, staged in the
      // outbox with its audit row, is relayed on (to SOM's queues once they are bound).
      const [claimed] = await db.sql`select count(*)::int as n from bus.inbox
        where consumer = 'provisioning-sim.task.created'`;
      assert.equal(claimed.n, 1);
      await waitFor(
        async () => (await db.sql`select 1 from bus.outbox`).length === 0,
        "the outbox to drain",
      );

      // The request without a service order is poison: parked, no task.
      const parked = await db.sql`select queue, payload from bus.parked`;
      assert.deepEqual(parked.map((p) => [p.queue, p.payload.serviceId]), [
        ["provisioning-sim.task.created", "SVC-0002"],
      ]);
      const [{ n }] = await db.sql`select count(*)::int as n from provisioning.provisioning_task`;
      assert.equal(n, 1);
    } finally {
      await bridge.stop();
      await system.stop();
      await clock.unfreeze(db.sql);
      await db.drop();
    }
  },
});
