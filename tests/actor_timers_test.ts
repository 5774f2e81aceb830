/**
 * Delayed messages wake their kind when they fall due, each at its own time: a turn that
 * sends several with different delays must not leave all but the soonest to the poll, and a
 * delay counts from the sending turn's start, not from its commit.
 */
import assert from "node:assert/strict";
import { ActorSystem } from "../actors/runtime/system.ts";
import { counterDatabase, counterKind } from "./support/actors.ts";

Deno.test({
  name: "each delay a turn sends wakes its kind when due, without the poll",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const db = await counterDatabase("timers");
    // A poll far longer than the test: only the wake-ups can deliver the delayed messages.
    const system = new ActorSystem(db.sql, { pollMs: 600_000 });
    system.register(counterKind);
    await system.start();
    try {
      await system.ask("counter", "t", { type: "schedule", delays: [50, 300, 600] });
      const handled = async () =>
        (await db.sql`select count(*)::int c from test_counter.log where key like 't-%'`)[0].c;
      const until = Date.now() + 20_000;
      while ((await handled()) < 3) {
        assert.ok(Date.now() < until, `only ${await handled()} of 3 delayed messages handled`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const keys = await db.sql`select key from test_counter.log order by id`;
      assert.deepEqual(keys.map((r) => r.key), ["t-0", "t-1", "t-2"]);
    } finally {
      await system.stop();
      await db.drop();
    }
  },
});

Deno.test({
  name: "a delay counts from the sending turn's start: a long turn's message is not late by it",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const db = await counterDatabase("timer_start");
    const system = new ActorSystem(db.sql, { pollMs: 600_000 });
    system.register(counterKind);
    await system.start();
    try {
      const started = Date.now();
      // The turn sends a message due in 600 ms, then works 400 ms more before it commits.
      await system.ask("counter", "late", { type: "schedule", delays: [600], ms: 400 });
      const committed = Date.now() - started;
      const until = started + 20_000;
      while ((await db.sql`select 1 from test_counter.log where key = 'late-0'`).length === 0) {
        assert.ok(Date.now() < until, "the delayed message was never handled");
        await new Promise((r) => setTimeout(r, 10));
      }
      const handled = Date.now() - started;
      // Due 600 ms after the turn began; a full delay after the commit would be 1,000 ms or more.
      assert.ok(
        handled < committed + 450,
        `handled ${handled} ms after the ask, whose turn committed at ${committed} ms`,
      );
    } finally {
      await system.stop();
      await db.drop();
    }
  },
});
