/**
 * Delayed messages wake their kind when they fall due, each at its own time: a turn that
 * sends several with different delays must not leave all but the soonest to the poll, and a
 * delay counts from the sending turn's start, not from its commit.
 */
import assert from "node:assert/strict";
import { ActorSystem } from "../actors/runtime/system.ts";
import type { TestDatabase } from "./support/db.ts";
import { counterDatabase, counterKind, waitLogged } from "./support/actors.ts";

/**
 * A test with the counter kind on a fresh database, polled far less often than the test
 * lasts: only the wake-ups can deliver the delayed messages.
 */
function timerTest(
  name: string,
  fn: (system: ActorSystem, db: TestDatabase) => Promise<void>,
) {
  Deno.test({
    name,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const db = await counterDatabase("timers");
      const system = new ActorSystem(db.sql, { pollMs: 600_000 });
      system.register(counterKind);
      await system.start();
      try {
        await fn(system, db);
      } finally {
        await system.stop();
        await db.drop();
      }
    },
  });
}

timerTest(
  "each delay a turn sends wakes its kind when due, without the poll",
  async (system, db) => {
    await system.ask("counter", "t", { type: "schedule", delays: [50, 300, 600] });
    await waitLogged(db.sql, "t-%", 3);
    const keys = await db.sql`select key from test_counter.log order by id`;
    assert.deepEqual(keys.map((r) => r.key), ["t-0", "t-1", "t-2"]);
  },
);

timerTest(
  "a delay counts from the sending turn's start: a long turn's message is not late by it",
  async (system, db) => {
    const started = Date.now();
    // The turn sends a message due in 1,000 ms, then works 800 ms more before it commits.
    await system.ask("counter", "late", { type: "schedule", delays: [1000], ms: 800 });
    const committed = Date.now() - started;
    await waitLogged(db.sql, "late-%", 1);
    const at = Date.now() - started;
    // Due 1,000 ms after the turn began; a full delay after the commit would be 1,800 ms or more.
    assert.ok(at < committed + 700, `handled ${at} ms after the ask, committed at ${committed} ms`);
  },
);
