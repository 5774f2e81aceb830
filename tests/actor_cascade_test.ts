/**
 * A turn's messages to idle actors hosted in its process run in its own transaction (its
 * tells and its events' deliveries), with no mailbox row, wake-up, lock or claim of their own.
 * The `xmin` of their history rows shows which turns ran in one transaction. The `forward` kind
 * here logs its turn and then tells, emits or chains on.
 */
import assert from "node:assert/strict";
import { inlineDelivery } from "../actors/bridge/inline.ts";
import { registerBindings } from "../actors/bridge/sql.ts";
import { runLocally } from "../actors/runtime/local_wake.ts";
import { ActorSystem } from "../actors/runtime/system.ts";
import type { ActorKind, Envelope } from "../actors/runtime/types.ts";
import { SYSTEM } from "../kernel/context.ts";
import { counterBinding, runPrefix, waitFor } from "./support/bridge.ts";
import { counterDatabase, counterKind, shutdownTest, waitLogged } from "./support/actors.ts";

interface ForwardMessage extends Envelope {
  type: "tell" | "emit" | "chain";
  /** `tell`: the counter's key and what it is told; `emit`: the key the event names. */
  to?: string;
  bodies?: Envelope[];
  /** `chain`: how many forwards follow this one. */
  hops?: number;
}

const prefix = runPrefix();

const forwardKind: ActorKind<ForwardMessage> = {
  kind: "forward",
  async handle(turn, m) {
    await turn.sql`insert into test_counter.log (key, seq, n, message_id, pid, overlapped)
      values (${turn.key}, 0, 0, ${turn.messageId}, ${Deno.pid}, false)`;
    for (const body of m.bodies ?? []) turn.tell("counter", m.to!, body);
    if (m.type === "emit") {
      turn.emit({
        type: `${prefix}.passed`,
        aggregateType: "forward",
        aggregateId: turn.key,
        payload: { to: m.to, seq: 1 },
      });
    }
    if (m.type === "chain" && m.hops! > 0) {
      turn.tell("forward", `${turn.key}+`, { type: "chain", hops: m.hops! - 1 });
    }
  },
};

const binding = counterBinding(`${prefix}.heard`, `${prefix}.passed`, (e) => String(e.payload.to));
const db = await counterDatabase("cascade");
await registerBindings(db.sql, [binding]);
const system = new ActorSystem(
  db.sql,
  { workers: 1, pollMs: 20, backoffMs: 10, maxAttempts: 2 },
  inlineDelivery([binding]),
);
system.register(counterKind).register(forwardKind);
await system.start();

/**
 * The transaction of each turn of actors whose key is `like` that succeeded, by key: the
 * `xmin` of its history row, which a batch writes with its other outcomes in its own
 * transaction (a turn's own rows carry its savepoint's id instead).
 */
const transactions = async (like: string) =>
  Object.fromEntries(
    (await db.sql`select key, xmin::text as tx from actor.history
      where key like ${like} and outcome = 'ok' order by id`).map((r) => [r.key, r.tx]),
  );
const mail = async (key: string) =>
  (await db.sql`select type from actor.mailbox where key = ${key} order by id`).map((r) => r.type);
const history = async (key: string) =>
  (await db.sql`select kind, type, outcome from actor.history where key = ${key} order by id`)
    .map((r) => `${r.kind} ${r.type}:${r.outcome}`);

Deno.test("a tell to an idle actor runs in the sending batch's transaction", async () => {
  await system.tell("forward", "t1", { type: "tell", to: "t1-c", bodies: [{ type: "add" }] });
  await waitLogged(db.sql, "t1%", 2);
  const tx = await transactions("t1%");
  assert.equal(tx["t1-c"], tx["t1"]);
  assert.deepEqual(await history("t1-c"), ["counter add:ok"]);
});

Deno.test("an event's delivery runs its consumer there too, and claims the inbox", async () => {
  await system.tell("forward", "e1", { type: "emit", to: "e1-c" });
  await waitLogged(db.sql, "e1%", 2);
  const tx = await transactions("e1%");
  assert.equal(tx["e1-c"], tx["e1"]);
  const [claim] = await db.sql`
    select i.consumer from bus.inbox i join audit.domain_event d using (event_id)
    where d.aggregate_id = 'e1'`;
  assert.equal(claim?.consumer, `${prefix}.heard`);
});

Deno.test("an effect's outcome may cascade: its turn's messages run in its transaction", async () => {
  const ran = await runLocally(
    "forward",
    "o1",
    { type: "tell", to: "o1-c", bodies: [{ type: "add" }] },
    { traceparent: undefined, actor: SYSTEM.actor },
    { cascade: true },
  );
  assert.equal(ran.outcome, "ran");
  const tx = await transactions("o1%");
  assert.equal(tx["o1-c"], tx["o1"]);
});

Deno.test("an ask's turn does not cascade: its answer does not wait for the turns after it", async () => {
  await system.ask("forward", "a1", { type: "tell", to: "a1-c", bodies: [{ type: "add" }] });
  await waitLogged(db.sql, "a1%", 2);
  const tx = await transactions("a1%");
  assert.notEqual(tx["a1-c"], tx["a1"]);
});

Deno.test("an actor with mail waiting keeps its order: its messages take the mailbox", async () => {
  // A delayed message holds back the actor's later ones, as a backoff does.
  await system.tell("counter", "f1-c", { type: "add", seq: 1 }, { delayMs: 60_000 });
  await system.tell("forward", "f1", {
    type: "tell",
    to: "f1-c",
    bodies: [{ type: "add", seq: 2 }, { type: "add", seq: 3 }],
  });
  await waitLogged(db.sql, "f1", 1);
  assert.deepEqual(await mail("f1-c"), ["add", "add", "add"]);
  assert.deepEqual(await transactions("f1-c"), {});
});

Deno.test("a turn that fails in the cascade takes the mailbox; the sender commits", async () => {
  await system.tell("forward", "x1", {
    type: "tell",
    to: "x1-c",
    bodies: [{ type: "fail" }, { type: "add" }],
  });
  await waitLogged(db.sql, "x1", 1);
  // Retried from the mailbox until dead-lettered; the `add` behind it waits (FIFO), then runs.
  await waitLogged(db.sql, "x1-c", 1);
  assert.deepEqual(await history("x1-c"), [
    "counter fail:retry",
    "counter fail:dead",
    "counter add:ok",
  ]);
  const tx = await transactions("x1%");
  assert.notEqual(tx["x1-c"], tx["x1"]);
});

Deno.test("a failed statement loses the batch, which runs again without cascading", async () => {
  await system.tell("forward", "s1", { type: "tell", to: "s1-c", bodies: [{ type: "bad_sql" }] });
  await waitLogged(db.sql, "s1", 1);
  await waitFor(
    async () => (await history("s1-c")).includes("counter bad_sql:dead"),
    "the bad statement dead-lettered",
  );
  // The forward committed once, in its second batch; the counter's turn never committed.
  assert.deepEqual(await history("s1"), ["forward tell:ok"]);
  const [{ attempts }] = await db.sql`
    select count(*)::int as attempts from actor.history where key = 's1-c'`;
  assert.equal(attempts, 2);
});

Deno.test("a cascade stops after 16 turns; the rest goes through the mailbox", async () => {
  await system.tell("forward", "c", { type: "chain", hops: 20 });
  await waitLogged(db.sql, "c%", 21);
  const byTx = Object.values(await transactions("c%"));
  assert.equal(byTx.filter((tx) => tx === byTx[0]).length, 17);
  assert.equal(new Set(byTx).size, 2);
});

shutdownTest(system, db);
