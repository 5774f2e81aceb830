/**
 * An ask to an idle actor hosted in the asking process runs its turn at once, in the caller's
 * transaction, without a mailbox row; any other ask takes the mailbox. The system here has no
 * drain loop, so a message that went to the mailbox stays there for the test to see; the last
 * test runs a system with one, to show a backlog batched.
 */
import assert from "node:assert/strict";
import { AskTimeout } from "../actors/runtime/asks.ts";
import { ActorSystem } from "../actors/runtime/system.ts";
import type { EventSink } from "../actors/runtime/types.ts";
import { PolicyViolation } from "../kernel/errors.ts";
import { counterDatabase, counterKind, shutdownTest, waitLogged } from "./support/actors.ts";

const db = await counterDatabase("run_alone");
const system = new ActorSystem(db.sql, { workers: 0, askTimeoutMs: 400 });
system.register(counterKind);
await system.start();

const mail = async (key: string) =>
  (await db.sql`select type from actor.mailbox where kind = 'counter' and key = ${key}
    order by id`).map((r) => r.type);
const history = async (key: string) =>
  (await db.sql`select type, outcome from actor.history where kind = 'counter' and key = ${key}
    order by id`).map((r) => `${r.type}:${r.outcome}`);

Deno.test("an ask to a new actor, then to the same idle actor, runs without the mailbox", async () => {
  assert.deepEqual(await system.ask("counter", "alone", { type: "add" }), { n: 1 });
  assert.deepEqual(await system.ask("counter", "alone", { type: "add" }), { n: 2 });
  assert.deepEqual(await mail("alone"), []);
  assert.deepEqual(await history("alone"), ["add:ok", "add:ok"]);
});

Deno.test("a refusal answers the asker at once and is recorded, with no effect", async () => {
  await assert.rejects(
    () => system.ask("counter", "refused", { type: "reject" }),
    (e) => e instanceof PolicyViolation && e.rule === "counter.add.rejected",
  );
  assert.deepEqual(await mail("refused"), []);
  assert.deepEqual(await history("refused"), ["reject:rejected"]);
  assert.deepEqual(
    (await db.sql`select * from test_counter.counter where key = 'refused'`).length,
    0,
  );
});

Deno.test("an actor with mail waiting keeps its order: the ask queues behind it", async () => {
  await system.tell("counter", "queued", { type: "add", seq: 1 });
  await assert.rejects(() => system.ask("counter", "queued", { type: "add", seq: 2 }), AskTimeout);
  assert.deepEqual(await mail("queued"), ["add", "add"]);
  assert.deepEqual(await history("queued"), []);
});

Deno.test("an actor another transaction holds is not waited for: the ask queues", async () => {
  await system.ask("counter", "held", { type: "add" });
  let release!: () => void;
  const released = new Promise<void>((r) => release = r);
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => locked = r);
  const holding = db.sql.begin(async (tx) => {
    await tx`select 1 from actor.actor where kind = 'counter' and key = 'held' for update`;
    locked();
    await released;
  });
  try {
    // The ask goes out once the row is held (on another connection, it could overtake the lock).
    await isLocked;
    await assert.rejects(() => system.ask("counter", "held", { type: "add" }), AskTimeout);
    assert.deepEqual(await mail("held"), ["add"]);
  } finally {
    release();
    await holding;
  }
});

Deno.test("a turn that fails leaves nothing behind and goes to the mailbox to be retried", async () => {
  await assert.rejects(() => system.ask("counter", "failing", { type: "fail" }), AskTimeout);
  // Attempted once at once, then queued for the drain loops with its full count of attempts.
  const [row] = await db.sql`select attempts from actor.mailbox where key = 'failing'`;
  assert.ok(row, "the failed ask is in the mailbox");
  assert.deepEqual(row.attempts, 0);
  assert.deepEqual(await history("failing"), []);
});

Deno.test("a turn run at once keeps the ask's timeout, and may still commit after it", async () => {
  await assert.rejects(
    () => system.ask("counter", "slow", { type: "sleep_add", ms: 700 }),
    AskTimeout,
  );
  await waitLogged(db.sql, "slow", 1);
  assert.deepEqual(await mail("slow"), []);
});

Deno.test("a write the server refuses rolls the turn back and sends the message to the mailbox", async () => {
  // Every event write fails (the counter's `add` emits one), as a deadlock would abort it.
  const refusing: EventSink = {
    prepare: (tx) => tx`null`,
    route: () => ({ messages: [] }),
    write: (tx) => ({ done: tx`select 1 / 0`, sent: [] }),
  };
  const failing = new ActorSystem(db.sql, { workers: 0, askTimeoutMs: 400 }, refusing);
  failing.register(counterKind);
  await failing.start();
  try {
    await assert.rejects(
      () => failing.ask("counter", "refused-write", { type: "add" }),
      AskTimeout,
    );
    assert.deepEqual(await mail("refused-write"), ["add"]);
    assert.deepEqual(await history("refused-write"), []);
    const counted = await db.sql`select * from test_counter.counter where key = 'refused-write'`;
    assert.equal(counted.length, 0);
  } finally {
    await failing.stop();
  }
});

Deno.test("while a kind's loops have a backlog, its asks take the mailbox and are batched", async () => {
  // Every message that ever entered the mailbox, by key.
  await db.sql.unsafe(`
    create table test_counter.mailed (key text not null);
    create function test_counter.mailed() returns trigger language plpgsql as
      'begin insert into test_counter.mailed values (new.key); return new; end';
    create trigger mailed after insert on actor.mailbox
      for each row execute function test_counter.mailed();`);
  const mailed = async (key: string) =>
    (await db.sql`select 1 from test_counter.mailed where key = ${key}`).length > 0;
  // One actor per batch, so a batch that took one left the others behind: a backlog.
  const busy = new ActorSystem(db.sql, { workers: 1, batchActors: 1, askTimeoutMs: 5000 });
  busy.register(counterKind);
  await busy.start();
  try {
    for (const key of ["backlog-1", "backlog-2", "backlog-3"]) {
      await busy.tell("counter", key, { type: "sleep_add", ms: 150 });
    }
    await waitLogged(db.sql, "backlog-1", 1);
    assert.deepEqual(await busy.ask("counter", "backlog-ask", { type: "add" }), { n: 1 });
    assert.ok(await mailed("backlog-ask"), "asked during the backlog: through the mailbox");
    await waitLogged(db.sql, "backlog-_", 3);
    // The loop's next look finds nothing left: no backlog, the ask runs at once again.
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(await busy.ask("counter", "after-backlog", { type: "add" }), { n: 1 });
    assert.ok(!await mailed("after-backlog"), "asked after the backlog: at once");
  } finally {
    await busy.stop();
  }
});

shutdownTest(system, db);
