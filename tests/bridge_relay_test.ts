/**
 * The outbox relay on its own, with a recording sink: id order and batch size, failure
 * accounting (rows stay, attempts and error recorded), a sink that is not ready, several
 * relays sharing one outbox, and the NOTIFY wake-up.
 */
import assert from "node:assert/strict";
import { OutboxRelay, type OutboxSink } from "../actors/bridge/relay.ts";
import type { OutboxEvent } from "../actors/bridge/types.ts";
import { clock } from "../kernel/clock.ts";
import { emit } from "../kernel/events.ts";
import { configureLog } from "../kernel/log.ts";
import { seqs, waitFor } from "./support/bridge.ts";
import { freshDatabase } from "./support/db.ts";

configureLog("error");
const db = await freshDatabase("bridge_relay");
await clock.refresh(db.sql);

/** A sink that records what it is handed, and fails as told. */
class RecordingSink implements OutboxSink {
  batches: OutboxEvent[][] = [];
  isReady = true;
  /** Throw for the whole batch. */
  failAll: string | undefined;
  /** Fail only the events with these `seq`s. */
  failSeqs = new Set<number>();
  delayMs = 0;

  ready() {
    return this.isReady;
  }

  async deliver(_tx: unknown, events: OutboxEvent[]) {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.failAll) throw new Error(this.failAll);
    this.batches.push(events);
    return new Map(
      events.filter((e) => this.failSeqs.has(Number(e.payload.seq)))
        .map((e) => [e.outboxId, "refused"]),
    );
  }

  delivered(): number[] {
    return this.batches.flat().map((e) => Number(e.payload.seq));
  }
}

const settings = { intervalMs: 60_000, batchSize: 10 };

async function stage(n: number, type = "relay.test") {
  const staged = await emit(
    db.sql,
    ...seqs(n).map((seq) => ({ type, aggregateType: "test", aggregateId: "t", payload: { seq } })),
  );
  return staged.map((e) => e.eventId);
}

async function clear() {
  await db.sql`delete from bus.outbox`;
}

Deno.test("the relay drains the outbox in id order, in batches, and flags the audit rows", async () => {
  const sink = new RecordingSink();
  const relay = new OutboxRelay(db.sql, sink, settings);
  const ids = await stage(25);
  assert.deepEqual(await relay.runOnce(), { delivered: 10, failed: 0, full: true });
  assert.deepEqual(await relay.runOnce(), { delivered: 10, failed: 0, full: true });
  assert.deepEqual(await relay.runOnce(), { delivered: 5, failed: 0, full: false });
  assert.deepEqual(await relay.runOnce(), { delivered: 0, failed: 0, full: false });
  assert.deepEqual(sink.batches.map((b) => b.length), [10, 10, 5]);
  assert.deepEqual(sink.delivered(), seqs(25));
  const [audit] = await db.sql`
    select bool_and(published_to_mq) published, max(published_attempts)::int attempts
    from audit.domain_event where event_id = any(${ids}::uuid[])`;
  assert.deepEqual({ ...audit }, { published: true, attempts: 1 });
  assert.equal((await db.sql`select count(*)::int c from bus.outbox`)[0].c, 0);
});

Deno.test("a failed delivery keeps the rows and records the attempt and its error", async () => {
  const sink = new RecordingSink();
  const relay = new OutboxRelay(db.sql, sink, settings);
  const ids = await stage(3);
  sink.failAll = "x".repeat(1000);
  assert.deepEqual(await relay.runOnce(), { delivered: 0, failed: 3, full: false });
  const rows = await db.sql`select attempts, last_error from bus.outbox order by id`;
  assert.equal(rows.length, 3);
  for (const r of rows) {
    assert.equal(r.attempts, 1);
    assert.equal(r.last_error.length, 500);
  }
  const [audit] = await db.sql`
    select bool_or(published_to_mq) published, min(published_attempts)::int attempts,
      min(length(last_publish_error))::int error
    from audit.domain_event where event_id = any(${ids}::uuid[])`;
  assert.deepEqual({ ...audit }, { published: false, attempts: 1, error: 500 });

  // One event still refused: the others go, it stays with its second attempt counted.
  sink.failAll = undefined;
  sink.failSeqs.add(2);
  assert.deepEqual(await relay.runOnce(), { delivered: 2, failed: 1, full: false });
  const [left] = await db.sql`select payload, attempts, last_error from bus.outbox`;
  assert.deepEqual({ ...left }, { payload: { seq: 2 }, attempts: 2, last_error: "refused" });

  sink.failSeqs.clear();
  assert.deepEqual(await relay.runOnce(), { delivered: 1, failed: 0, full: false });
  assert.deepEqual(sink.delivered(), [1, 2, 3, 2]);
  const [event2] = await db.sql`select published_to_mq, published_attempts
    from audit.domain_event where event_id = ${ids[1]}`;
  assert.deepEqual({ ...event2 }, { published_to_mq: true, published_attempts: 3 });
});

Deno.test("while the sink is not ready the relay leaves the outbox alone", async () => {
  const sink = new RecordingSink();
  sink.isReady = false;
  const relay = new OutboxRelay(db.sql, sink, settings);
  await stage(2);
  assert.deepEqual(await relay.runOnce(), { delivered: 0, failed: 0, full: false });
  const rows = await db.sql`select attempts from bus.outbox`;
  assert.deepEqual(rows.map((r) => r.attempts), [0, 0]);
  await clear();
});

Deno.test({
  name: "several relays (as in several processes) share the outbox; each event goes out once",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sinks = [new RecordingSink(), new RecordingSink(), new RecordingSink()];
    for (const s of sinks) s.delayMs = 5;
    const relays = sinks.map((s) => new OutboxRelay(db.sql, s, { intervalMs: 20, batchSize: 7 }));
    await stage(150);
    await Promise.all(relays.map((r) => r.start()));
    try {
      await waitFor(
        async () => (await db.sql`select count(*)::int c from bus.outbox`)[0].c === 0,
        "the outbox drained",
      );
    } finally {
      await Promise.all(relays.map((r) => r.stop()));
    }
    const all = sinks.flatMap((s) => s.delivered());
    assert.deepEqual(all.toSorted((a, b) => a - b), seqs(150));
    assert.ok(sinks.filter((s) => s.batches.length > 0).length > 1, "the work was shared");
  },
});

Deno.test({
  name: "staging an event wakes the relay at once (NOTIFY), long before its interval",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sink = new RecordingSink();
    const relay = new OutboxRelay(db.sql, sink, settings);
    await relay.start();
    try {
      await new Promise((r) => setTimeout(r, 100)); // the first, empty pass is over
      await stage(1);
      await waitFor(() => Promise.resolve(sink.delivered().length === 1), "the wake-up", 2_000);
    } finally {
      await relay.stop();
    }
  },
});

Deno.test({
  name: "shutdown",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: () => db.drop(),
});
