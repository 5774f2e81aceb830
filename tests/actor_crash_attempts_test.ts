/**
 * A handler that kills its process is not retried without bound: each turn is claimed (and
 * so counted) before its handler runs, and once the attempts are used up the message goes to
 * the dead letters without running again; the actor's later messages are then handled.
 */
import assert from "node:assert/strict";
import { ActorSystem } from "../actors/runtime/system.ts";
import { counterDatabase } from "./support/actors.ts";
import { handledCount, spawnWorker, waitUntil } from "./support/processes.ts";

Deno.test({
  name: "a message whose handler kills its process is dead-lettered after max attempts",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const db = await counterDatabase("crash_attempts");
    // Only sends from here; the worker processes do the handling (max attempts 5).
    const sender = new ActorSystem(db.sql);
    try {
      await sender.tell("counter", "crashy", { type: "exit" });
      await sender.tell("counter", "crashy", { type: "add", seq: 1 });
      let deaths = 0;
      for (;;) {
        const worker = await spawnWorker(db.url, 1);
        const done = await Promise.race([
          worker.child.status.then((s) => ({ died: s.code })),
          waitUntil(async () => (await handledCount(db.sql, "crashy")) === 1, "the add", 60_000)
            .then(() => ({ died: undefined })),
        ]);
        if (done.died === undefined) {
          worker.child.kill("SIGTERM");
          await worker.child.status;
          break;
        }
        assert.equal(done.died, 3, "the worker died in the handler");
        deaths++;
        assert.ok(deaths <= 5, "the crashing message ran at most max-attempts times");
      }
      assert.equal(deaths, 5);
      const dead = await db
        .sql`select type, last_error from actor.dead_letter where key = 'crashy'`;
      assert.equal(dead.length, 1);
      assert.equal(dead[0].type, "exit");
      assert.match(dead[0].last_error, /gave up after 5 attempts: its turn did not finish/);
      const [{ n }] = await db.sql`select count(*)::int as n from actor.turn_claim`;
      assert.equal(n, 0, "no claim is left behind");
    } finally {
      await db.drop();
    }
  },
});
