import assert from "node:assert/strict";
import { ActorSystem } from "../actors/runtime/system.ts";
import { enqueueMany, type NewMessage } from "../actors/runtime/sql.ts";
import { createCounterTables } from "./support/actors.ts";
import { freshDatabase } from "./support/db.ts";
import { handledCount, spawnWorker, stopWorker, waitUntil } from "./support/processes.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** `perKey` `sleep_add` messages for each of `keys`, interleaved, with per-key sequence numbers. */
function interleaved(keys: string[], perKey: number, ms: number): NewMessage[] {
  const out: NewMessage[] = [];
  for (let seq = 1; seq <= perKey; seq++) {
    for (const key of keys) {
      out.push({ kind: "counter", key, body: { type: "sleep_add", seq, ms }, context: {} });
    }
  }
  return out;
}

Deno.test({
  name: "three processes draining the same mailboxes keep per-actor FIFO and a single writer",
  ...opts,
  async fn() {
    const db = await freshDatabase("mp_fifo");
    await createCounterTables(db.sql);
    const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
    // Every process is draining before the mail arrives, or the first one up could take it all.
    const workers = await Promise.all([1, 2, 3].map(() => spawnWorker(db.url)));
    try {
      await enqueueMany(db.sql, interleaved(keys, 40, 2));
      await waitUntil(async () => (await handledCount(db.sql)) === 480, "480 handled");
      for (const key of keys) {
        const seqs = (await db.sql`select seq from test_counter.log where key = ${key} order by id`)
          .map((r) => r.seq);
        assert.deepEqual(seqs, Array.from({ length: 40 }, (_, i) => i + 1), `order of ${key}`);
      }
      const [{ overlaps }] = await db.sql`
        select count(*) filter (where overlapped)::int as overlaps from test_counter.log`;
      assert.equal(overlaps, 0, "no actor was ever handled by two writers at once");
      const [{ pids }] = await db
        .sql`select count(distinct pid)::int as pids from test_counter.log`;
      assert.ok(pids >= 2, `work was spread over processes (${pids})`);
    } finally {
      await Promise.all(workers.map((w) => stopWorker(w)));
      await db.drop();
    }
  },
});

Deno.test({
  name: "SIGKILL of worker processes mid-handler never applies a message twice or loses one",
  ...opts,
  async fn() {
    const db = await freshDatabase("mp_kill");
    await createCounterTables(db.sql);
    const keys = Array.from({ length: 10 }, (_, i) => `x${i}`);
    const total = keys.length * 30;
    await enqueueMany(db.sql, interleaved(keys, 30, 15));
    let workers = await Promise.all([1, 2].map(() => spawnWorker(db.url)));
    let kills = 0;
    try {
      // Kill a random worker every ~120 ms and replace it, while the backlog drains.
      while (kills < 25 && (await handledCount(db.sql)) < total) {
        await new Promise((r) => setTimeout(r, 80 + Math.random() * 80));
        const victim = workers[Math.floor(Math.random() * workers.length)];
        await stopWorker(victim, "SIGKILL");
        kills++;
        workers = [...workers.filter((w) => w !== victim), await spawnWorker(db.url)];
      }
      await waitUntil(async () => (await handledCount(db.sql)) >= total, `${total} handled`);
      const [dup] = await db.sql`
        select count(*)::int as c from (
          select message_id from test_counter.log group by message_id having count(*) > 1) d`;
      assert.equal(dup.c, 0, "no message had its effect twice");
      assert.equal(await handledCount(db.sql), total, "every message had its effect");
      const counters = await db.sql`select key, n from test_counter.counter order by key`;
      for (const c of counters) assert.equal(c.n, 30, `counter ${c.key}`);
      for (const key of keys) {
        const seqs = (await db.sql`select seq from test_counter.log where key = ${key} order by id`)
          .map((r) => r.seq);
        assert.deepEqual(seqs, Array.from({ length: 30 }, (_, i) => i + 1), `order of ${key}`);
      }
      assert.ok(kills >= 5, `enough kills happened mid-stream (${kills})`);
      const [{ left }] = await db.sql`select count(*)::int as left from actor.mailbox`;
      assert.equal(left, 0);
    } finally {
      await Promise.all(workers.map((w) => stopWorker(w)));
      await db.drop();
    }
  },
});

Deno.test({
  name: "ask from one process is answered by a handler in another (reply via NOTIFY)",
  ...opts,
  async fn() {
    const db = await freshDatabase("mp_ask");
    await createCounterTables(db.sql);
    const worker = await spawnWorker(db.url);
    // This process hosts no kinds: every reply must come back across processes.
    const caller = new ActorSystem(db.sql, { pollMs: 20 });
    await caller.start();
    try {
      const replies = await Promise.all(
        Array.from(
          { length: 20 },
          () => caller.ask<{ n: number }>("counter", "shared", { type: "add" }),
        ),
      );
      assert.deepEqual(
        replies.map((r) => r.n).sort((a, b) => a - b),
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      const [{ c }] = await db.sql`select count(*)::int as c from actor.reply`;
      assert.equal(c, 0, "every stored reply was collected");
    } finally {
      await caller.stop();
      await stopWorker(worker);
      await db.drop();
    }
  },
});
