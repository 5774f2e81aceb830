/**
 * One BSS clock for every process: a freeze or advance made by another process (here: another
 * `Clock` on the same database, whose notification this process does not follow) is seen by
 * the next `sync` and by the next actor turn, without waiting for any notification.
 */
import assert from "node:assert/strict";
import { ActorSystem } from "../actors/runtime/system.ts";
import type { ActorKind } from "../actors/runtime/types.ts";
import { Clock, clock } from "../kernel/clock.ts";
import { freshDatabase } from "./support/db.ts";

Deno.test({
  name: "a clock change made elsewhere is seen by the next sync and the next turn",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const db = await freshDatabase("clock_shared");
    const elsewhere = new Clock();
    const here = new Clock();
    const timeKind: ActorKind = {
      kind: "clock_probe",
      handle: (turn) => Promise.resolve({ now: turn.now().toISOString() }),
    };
    const system = new ActorSystem(db.sql, { pollMs: 20, workers: 1 }).register(timeKind);
    try {
      await Promise.all([elsewhere.refresh(db.sql), here.refresh(db.sql), clock.refresh(db.sql)]);
      const frozenAt = new Date("2031-02-03T04:05:06.000Z");
      await elsewhere.freeze(db.sql, frozenAt);
      assert.equal(here.state().mode, "wall", "nothing told this process yet");

      // Many callers at once share reads, and every one of them sees the freeze.
      await Promise.all(Array.from({ length: 20 }, () => here.sync(db.sql)));
      assert.equal(here.now().toISOString(), frozenAt.toISOString());

      await elsewhere.advance(db.sql, 3600);
      await system.start();
      const { now } = await system.ask<{ now: string }>("clock_probe", "p", { type: "now" });
      assert.equal(now, "2031-02-03T05:05:06.000Z", "the turn ran on the advanced clock");
    } finally {
      await system.stop();
      await db.drop();
    }
  },
});
