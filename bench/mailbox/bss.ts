/**
 * The bss actor runtime as a bench queue: messages to a no-op actor kind, enqueued with the
 * runtime's `enqueueMany` (bulk) or `ActorSystem.tell`, drained by `ActorSystem` workers.
 *
 * @module
 */
import { enqueueMany } from "../../actors/runtime/sql.ts";
import { ActorSystem } from "../../actors/runtime/system.ts";
import type { ActorKind, Envelope } from "../../actors/runtime/types.ts";
import { clock } from "../../kernel/clock.ts";
import { pool } from "../../kernel/db/connect.ts";
import type { Pool } from "../../kernel/db/types.ts";
import type { BenchMessage, BssConsumerSpec, PrepareConsumer, Queue } from "./engine.ts";

/** The actor kind of bench messages. */
export const BENCH_KIND = "bench_noop";

const body = (m: BenchMessage): Envelope => ({ type: "noop", seq: m.seq, sentAt: m.sentAt });

/** The producer side, on the bench's pool. */
export function bssQueue(sql: Pool): Queue {
  const sender = new ActorSystem(sql);
  const clear = async () => {
    await sql`delete from actor.mailbox where kind = ${BENCH_KIND}`;
    await sql`delete from actor.history where kind = ${BENCH_KIND}`;
    await sql`delete from actor.actor where kind = ${BENCH_KIND}`;
  };
  return {
    async reset() {
      await clear();
      await sql`vacuum actor.mailbox, actor.history, actor.actor`;
    },
    async enqueueBulk(messages) {
      await enqueueMany(
        sql,
        messages.map((m) => ({ kind: BENCH_KIND, key: m.actor, body: body(m), context: {} })),
      );
    },
    async send(m) {
      await sender.tell(BENCH_KIND, m.actor, body(m));
    },
    async analyze() {
      await sql`analyze actor.mailbox, actor.actor`;
    },
    async pending() {
      const [r] =
        await sql`select count(*)::int as n from actor.mailbox where kind = ${BENCH_KIND}`;
      return r.n;
    },
    close: clear,
  };
}

/** The consumer side: an ActorSystem hosting the no-op kind with the spec's options. */
export const prepareBss: PrepareConsumer<BssConsumerSpec> = async (spec, probe) => {
  const sql = pool(spec.url, (spec.runtime.workers ?? 2) + 1);
  await clock.refresh(sql);
  const kind: ActorKind = {
    kind: BENCH_KIND,
    handle(turn, m) {
      probe.observe({ actor: turn.key, seq: m.seq as number, sentAt: m.sentAt as number });
    },
  };
  const system = new ActorSystem(sql, spec.runtime).register(kind);
  return {
    start: () => system.start(),
    async stop() {
      await system.stop();
      await sql.end({ timeout: 5 });
    },
  };
};
