/**
 * A test actor kind, `counter`, whose handler records every message it handles in
 * `test_counter.log` (with a per-actor sequence number), so tests can check order, single
 * writer and exactly-once effects from the database alone.
 *
 * @module
 */
import type { ActorKind, Envelope } from "../../actors/runtime/types.ts";
import { clock } from "../../kernel/clock.ts";
import type { Sql } from "../../kernel/db/types.ts";
import { PolicyViolation } from "../../kernel/errors.ts";
import { freshDatabase, type TestDatabase } from "./db.ts";

/** Creates the tables the counter kind writes. */
export async function createCounterTables(sql: Sql): Promise<void> {
  await sql.unsafe(`
    create schema if not exists test_counter;
    create table if not exists test_counter.counter (key text primary key, n int not null);
    create table if not exists test_counter.log (
      id bigserial primary key, key text not null, seq int not null, n int not null,
      message_id bigint not null, pid int not null, overlapped boolean not null);
  `);
}

/** A fresh database with the counter kind's tables, this process's clock read from it. */
export async function counterDatabase(label: string): Promise<TestDatabase> {
  const db = await freshDatabase(label);
  await createCounterTables(db.sql);
  await clock.refresh(db.sql);
  return db;
}

/** Messages of the counter kind. */
export interface CounterMessage extends Envelope {
  type: "add" | "get" | "reject" | "fail" | "bad_sql" | "sleep_add" | "exit" | "schedule";
  seq?: number;
  ms?: number;
  /** `schedule`: one `add` to `<key>-<i>` per entry, delivered that many ms later. */
  delays?: number[];
}

/** The keys whose turns called back after commit (`Turn.afterCommit`), in order. */
export const committedKeys: string[] = [];

/** How many times each `fail` message has been attempted (in-process). */
export const failures = new Map<number, number>();

/**
 * The counter kind. `add` increments and logs; `sleep_add` does the same around a sleep (for
 * kill tests); `get` replies the count; `reject` raises a PolicyViolation; `fail` throws;
 * `bad_sql` runs a statement that fails; `schedule` sends delayed `add`s to other counters;
 * `exit` ends the process mid-turn.
 * Each turn takes a second, independent advisory lock on its key: if two processes ever
 * handled one actor at once, the second would see `overlapped = true`.
 */
export const counterKind: ActorKind<CounterMessage> = {
  kind: "counter",
  async handle(turn, m) {
    const { sql, key } = turn;
    switch (m.type) {
      case "get": {
        const [row] = await sql`select n from test_counter.counter where key = ${key}`;
        return { n: row?.n ?? 0 };
      }
      case "reject":
        throw new PolicyViolation("counter.add.rejected", "counter refuses", { key });
      case "fail":
        turn.afterCommit(() => committedKeys.push(key));
        throw new Error("counter failed on purpose");
      case "bad_sql":
        await sql`select 1 / 0`;
        break;
      case "schedule":
        for (const [i, delayMs] of (m.delays ?? []).entries()) {
          turn.tell("counter", `${key}-${i}`, { type: "add" }, { delayMs });
        }
        // A turn that works on after sending: its delays count from its start.
        if (m.ms) await new Promise((r) => setTimeout(r, m.ms));
        break;
      case "exit":
        await sql`select 1`;
        Deno.exit(3);
        break;
      case "add":
      case "sleep_add": {
        const [lock] = await sql`
          select pg_try_advisory_xact_lock(hashtext('counter-writer:' || ${key})) as ok`;
        if (m.type === "sleep_add") await new Promise((r) => setTimeout(r, m.ms ?? 5));
        const [{ n }] = await sql`
          insert into test_counter.counter (key, n) values (${key}, 1)
          on conflict (key) do update set n = counter.n + 1 returning n`;
        await sql`insert into test_counter.log (key, seq, n, message_id, pid, overlapped)
          values (${key}, ${m.seq ?? 0}, ${n}, ${turn.messageId}, ${Deno.pid}, ${!lock.ok})`;
        turn.afterCommit(() => committedKeys.push(key));
        turn.emit({
          type: "counter.added",
          aggregateType: "counter",
          aggregateId: key,
          payload: { n, seq: m.seq ?? 0 },
        });
        return { n };
      }
    }
  },
  async state(sql, key) {
    const [row] = await sql`select n from test_counter.counter where key = ${key}`;
    return row ?? null;
  },
};

/**
 * Registers the last test of a file that runs `system` on `db`: stops the system, then drops
 * the database (the system's loops and listener outlive the tests before it).
 */
export function shutdownTest(system: { stop(): Promise<void> }, db: TestDatabase): void {
  Deno.test({
    name: "shutdown",
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      await system.stop();
      await db.drop();
    },
  });
}

/**
 * Waits until the counter's log holds `n` messages of actors whose key is `like` (an SQL
 * LIKE pattern); fails after `ms`, saying how many arrived.
 */
export async function waitLogged(sql: Sql, like: string, n: number, ms = 20_000): Promise<void> {
  const count = async () =>
    (await sql`select count(*)::int as c from test_counter.log where key like ${like}`)[0].c;
  const until = Date.now() + ms;
  while ((await count()) < n) {
    if (Date.now() > until) throw new Error(`${like}: ${await count()} of ${n} handled`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
