/**
 * Brokerless delivery does not depend on where a consumer runs: a process's relay delivers
 * to every binding registered in `bus.binding`, including those of roles running in other
 * processes; a registered binding the relay has no code for parks the event (kept, named).
 */
import assert from "node:assert/strict";
import { startBridge } from "../actors/bridge/bridge.ts";
import type { Binding } from "../actors/bridge/types.ts";
import { clock } from "../kernel/clock.ts";
import { emit } from "../kernel/events.ts";
import { configureLog } from "../kernel/log.ts";
import { bridgeConfig, runPrefix } from "./support/bridge.ts";
import { freshDatabase } from "./support/db.ts";

configureLog("error");

const binding = (queue: string, pattern: string, kind: string): Binding => ({
  queue,
  pattern,
  to: (event) => ({ kind, key: "k", message: { type: "seen", eventId: event.eventId } }),
});

Deno.test({
  name: "a relay delivers to the bindings other processes registered, and parks the unknown",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const db = await freshDatabase("bridge_registry");
    await clock.refresh(db.sql);
    const p = runPrefix();
    const [hereKind, elsewhereKind] = [`${p}_here`, `${p}_elsewhere`];
    const here = binding(`${p}.here`, `${p}.#`, hereKind);
    const elsewhere = binding(`${p}.elsewhere`, `${p}.#`, elsewhereKind);
    const config = bridgeConfig({ BSS_OUTBOX_RELAY_INTERVAL_MS: "60000" });
    // "Process" B hosts the other consumer and runs no relay; A relays and knows both.
    const b = await startBridge({ sql: db.sql, config, bindings: [elsewhere], relay: false });
    const a = await startBridge({
      sql: db.sql,
      config,
      bindings: [here],
      known: [here, elsewhere],
    });
    const delivered = async (kind: string) =>
      (await db.sql`select count(*)::int as n from actor.mailbox where kind = ${kind}`)[0].n;
    try {
      const queues = await db.sql`select queue from bus.binding order by queue`;
      assert.deepEqual(queues.map((r) => r.queue), [elsewhere.queue, here.queue].sort());

      await emit(db.sql, { type: `${p}.one`, aggregateType: "t", aggregateId: "1", payload: {} });
      await a.relayOnce();
      assert.equal(await delivered(hereKind), 1, "the relay's own consumer got it");
      assert.equal(await delivered(elsewhereKind), 1, "the other process's consumer got it");

      // A queue registered by a process whose code this relay lacks: the event parks for it.
      await db.sql`insert into bus.binding (queue, pattern) values (${`${p}.newer`}, ${`${p}.#`})`;
      await emit(db.sql, { type: `${p}.two`, aggregateType: "t", aggregateId: "2", payload: {} });
      await a.relayOnce();
      assert.equal(await delivered(hereKind), 2);
      assert.equal(await delivered(elsewhereKind), 2);
      const parked = await db.sql`select queue, reason from bus.parked`;
      assert.equal(parked.length, 1);
      assert.equal(parked[0].queue, `${p}.newer`);
      assert.match(parked[0].reason, /knows the binding/);
      assert.equal((await db.sql`select count(*)::int as n from bus.outbox`)[0].n, 0);
    } finally {
      await a.stop();
      await b.stop();
      await db.drop();
    }
  },
});
