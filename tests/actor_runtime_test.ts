import assert from "node:assert/strict";
import { ActorSystem } from "../actors/runtime/system.ts";
import { AskTimeout } from "../actors/runtime/asks.ts";
import { clock } from "../kernel/clock.ts";
import { PolicyViolation } from "../kernel/errors.ts";
import { committedKeys, counterDatabase, counterKind, shutdownTest } from "./support/actors.ts";

const db = await counterDatabase("runtime");
const system = new ActorSystem(db.sql, { backoffMs: 10, maxAttempts: 3, pollMs: 20 });
system.register(counterKind);
await system.start();

async function waitFor(check: () => Promise<boolean>, what: string, ms = 10_000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test("ask returns the handler's reply after its effects commit", async () => {
  const r = await system.ask<{ n: number }>("counter", "a1", { type: "add" });
  assert.equal(r.n, 1);
  const [row] = await db.sql`select n from test_counter.counter where key = 'a1'`;
  assert.equal(row.n, 1);
});

Deno.test("afterCommit runs in this process once the turn committed, never for a failed one", async () => {
  await system.ask("counter", "ac1", { type: "add" });
  assert.ok(committedKeys.includes("ac1"));
  await assert.rejects(system.ask("counter", "ac2", { type: "fail" }), /dead-lettered/);
  assert.ok(!committedKeys.includes("ac2"), "a failed turn's callbacks are dropped");
});

Deno.test("a turn whose statement fails is retried with its own error; its batch's neighbours are not charged", async () => {
  await system.tell("counter", "q1", { type: "bad_sql" });
  await system.tell("counter", "q2", { type: "add" });
  await waitFor(
    async () => (await db.sql`select 1 from actor.dead_letter where key = 'q1'`).length === 1,
    "q1 dead-lettered",
  );
  const [dl] = await db.sql`select attempts, last_error from actor.dead_letter where key = 'q1'`;
  assert.match(dl.last_error, /division by zero/, "the statement's own error, not a lost turn");
  const outcomes = (await db.sql`
    select outcome, detail from actor.history where key = 'q1' and type = 'bad_sql' order by id`)
    .map((r) => r.outcome);
  assert.deepEqual(outcomes, ["retry", "retry", "dead"]);
  // q2 may have shared q1's batches, each rolled back by q1's failing statement: its own
  // batch can commit after q1's dead letter.
  await waitFor(
    async () => (await db.sql`select 1 from actor.history where key = 'q2'`).length > 0,
    "q2 handled",
  );
  const q2 = await db.sql`select outcome from actor.history where key = 'q2'`;
  assert.deepEqual(q2.map((r) => r.outcome), ["ok"], "handled once, in a later batch");
});

Deno.test("tell delivers in FIFO order per actor", async () => {
  for (let i = 1; i <= 50; i++) {
    for (const key of ["f1", "f2", "f3"]) {
      await system.tell("counter", key, { type: "add", seq: i });
    }
  }
  await waitFor(
    async () =>
      (await db.sql`select count(*)::int c from test_counter.log where key like 'f%'`)[0].c === 150,
    "150 handled",
  );
  for (const key of ["f1", "f2", "f3"]) {
    const seqs = (await db.sql`select seq from test_counter.log where key = ${key} order by id`)
      .map((r) => r.seq);
    assert.deepEqual(seqs, Array.from({ length: 50 }, (_, i) => i + 1));
  }
});

Deno.test("a PolicyViolation answers the asker and is not retried", async () => {
  await assert.rejects(
    system.ask("counter", "p1", { type: "reject" }),
    (e: unknown) => e instanceof PolicyViolation && e.rule === "counter.add.rejected",
  );
  const [h] = await db.sql`select outcome from actor.history where key = 'p1'`;
  assert.equal(h.outcome, "rejected");
  assert.equal((await db.sql`select count(*)::int c from actor.mailbox where key = 'p1'`)[0].c, 0);
});

Deno.test("failures retry with backoff, then dead-letter and answer the asker", async () => {
  await assert.rejects(system.ask("counter", "d1", { type: "fail" }), /dead-lettered/);
  const [dl] = await db.sql`select attempts, last_error from actor.dead_letter where key = 'd1'`;
  assert.equal(dl.attempts, 3);
  assert.match(dl.last_error, /failed on purpose/);
  const outcomes = (await db.sql`select outcome from actor.history where key = 'd1' order by id`)
    .map((r) => r.outcome);
  assert.deepEqual(outcomes, ["retry", "retry", "dead"]);
});

Deno.test("a failing head blocks the messages behind it until it is dead-lettered", async () => {
  await system.tell("counter", "b1", { type: "fail" });
  await system.tell("counter", "b1", { type: "add", seq: 1 });
  const r = await system.ask<{ n: number }>("counter", "b1", { type: "get" });
  assert.equal(r.n, 1);
  const outcomes =
    (await db.sql`select type, outcome from actor.history where key = 'b1' order by id`)
      .map((r) => `${r.type}:${r.outcome}`);
  assert.deepEqual(outcomes, ["fail:retry", "fail:retry", "fail:dead", "add:ok", "get:ok"]);
});

Deno.test("timers fire when the BSS clock reaches them", async () => {
  await clock.freeze(db.sql, new Date("2026-01-01T00:00:00Z"));
  await system.tell("counter", "t1", { type: "add", seq: 1 }, {
    deliverAt: new Date("2026-01-02T00:00:00Z"),
  });
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(
    (await db.sql`select count(*)::int c from test_counter.log where key = 't1'`)[0].c,
    0,
  );
  await clock.advance(db.sql, 86_400);
  await waitFor(
    async () =>
      (await db.sql`select count(*)::int c from test_counter.log where key = 't1'`)[0].c === 1,
    "timer",
  );
  await clock.unfreeze(db.sql);
});

Deno.test("a future timer does not hold back later messages", async () => {
  await system.tell("counter", "t2", { type: "add", seq: 1 }, {
    deliverAt: new Date(Date.now() + 86_400_000 * 400),
  });
  const r = await system.ask<{ n: number }>("counter", "t2", { type: "add", seq: 2 });
  assert.equal(r.n, 1);
});

Deno.test("events emitted by a handler are in the audit log and the outbox", async () => {
  await system.ask("counter", "e1", { type: "add", seq: 7 });
  const [ev] = await db
    .sql`select event_type, aggregate_id, payload, actor, channel from audit.domain_event where aggregate_id = 'e1'`;
  assert.equal(ev.event_type, "counter.added");
  assert.deepEqual(ev.payload, { n: 1, seq: 7 });
  const [ob] = await db
    .sql`select o.event_type from bus.outbox o join audit.domain_event d using (event_id) where d.aggregate_id = 'e1'`;
  assert.equal(ob.event_type, "counter.added");
});

Deno.test("ask times out when nothing handles the kind", async () => {
  await assert.rejects(
    system.ask("nobody", "x", { type: "hello" }, { timeoutMs: 100 }),
    AskTimeout,
  );
});

Deno.test("delayMs holds a message for wall-clock time even with the BSS clock frozen", async () => {
  await clock.freeze(db.sql, new Date("2026-03-01T00:00:00Z"));
  await system.tell("counter", "w1", { type: "add", seq: 1 }, { delayMs: 300 });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(
    (await db.sql`select count(*)::int c from test_counter.log where key = 'w1'`)[0].c,
    0,
  );
  await waitFor(
    async () =>
      (await db.sql`select count(*)::int c from test_counter.log where key = 'w1'`)[0].c === 1,
    "delayed message",
  );
  await clock.unfreeze(db.sql);
});

shutdownTest(system, db);
