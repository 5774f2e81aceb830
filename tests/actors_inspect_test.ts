import assert from "node:assert/strict";
import {
  discardDeadLetter,
  HistoryTail,
  kindSummaries,
  listActors,
  listDeadLetters,
  retryDeadLetter,
  showActor,
} from "../actors/runtime/inspect.ts";
import { buryMessages, enqueueMany } from "../actors/runtime/sql.ts";
import { ActorSystem } from "../actors/runtime/system.ts";
import type { ActorKind } from "../actors/runtime/types.ts";
import type { Sql } from "../kernel/db/types.ts";
import { NotFound } from "../kernel/errors.ts";
import { runCli } from "../cockpit/actors/main.ts";
import { counterDatabase, counterKind, shutdownTest } from "./support/actors.ts";

const db = await counterDatabase("inspect");

/** Fails until its key is healed: dead-letters at first, succeeds once retried after. */
const healed = new Set<string>();
const flakyKind: ActorKind = {
  kind: "flaky",
  handle(turn) {
    if (!healed.has(turn.key)) throw new Error(`flaky ${turn.key} is not healed`);
    return { ok: true };
  },
};

const system = new ActorSystem(db.sql, { backoffMs: 10, maxAttempts: 2, pollMs: 20 });
system.register(counterKind).register(flakyKind);
await system.start();

const COUNTS = ["depth", "ready", "timers", "backoff", "blocked", "deadLetters"] as const;
const FUTURE = new Date(Date.now() + 400 * 86_400_000);

async function eventually(check: () => Promise<boolean>, what: string) {
  const until = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Sends to a kind nobody hosts, so the messages stay where the test put them. */
async function park(key: string, types: string[], deliverAt?: Date) {
  const messages = types.map((type) => ({
    kind: "idle",
    key,
    body: { type },
    deliverAt,
    context: {},
  }));
  return (await enqueueMany(db.sql, messages)).map((r) => r.id);
}

const deadLetterOf = async (kind: string, key: string) =>
  (await listDeadLetters(db.sql, { kind, key }))[0];

// idle/a: 3 ready, the first waiting 90 s; idle/b: 1 ready, 1 timer; idle/c: 1 in backoff
// and 1 blocked behind it, 1 dead letter; idle/d: no mail.
const [a1] = await park("a", ["one", "two", "three"]);
await db.sql`update actor.mailbox set enqueued_at = now() - interval '90 seconds',
  run_after = now() - interval '90 seconds' where id = ${a1}`;
await park("b", ["soon"]);
await park("b", ["later"], FUTURE);
const [c1] = await park("c", ["flaky", "stuck"]);
await db.sql`update actor.mailbox set attempts = 1, last_error = 'boom',
  run_after = now() + interval '1 hour' where id = ${c1}`;
const [cDead] = await park("c", ["poison"]);
await buryMessages(db.sql, [cDead], ["Error: poison"]);
await db.sql`delete from actor.mailbox where id = any(${await park("d", ["gone"])})`;

Deno.test("kinds: depth by status, dead letters and lag per kind", async () => {
  const idle = (await kindSummaries(db.sql)).find((k) => k.kind === "idle");
  assert.ok(idle);
  const { lagMs, ...counts } = idle;
  assert.deepEqual(counts, {
    kind: "idle",
    actors: 4,
    depth: 7,
    ready: 4,
    timers: 1,
    backoff: 1,
    blocked: 1,
    deadLetters: 1,
  });
  assert.ok(lagMs! >= 90_000 && lagMs! < 120_000, `lag ${lagMs}`);
});

Deno.test("list: per-actor counts, longest-waiting first, --with-mail, --limit", async () => {
  const actors = await listActors(db.sql, "idle");
  assert.deepEqual(actors.map((a) => a.key), ["a", "b", "c", "d"]);
  const [a, b, c, d] = actors;
  assert.equal(a.depth, 3);
  assert.equal(a.ready, 3);
  assert.ok(a.oldestMs! >= 90_000);
  assert.equal(b.timers, 1);
  assert.deepEqual(b.nextTimer, FUTURE);
  assert.deepEqual([c.backoff, c.blocked, c.deadLetters], [1, 1, 1]);
  assert.deepEqual([d.depth, d.oldestMs, d.nextTimer], [0, null, null]);
  assert.ok(actors.every((x) => !x.inFlight));
  assert.equal((await listActors(db.sql, "idle", { withMail: true })).length, 3);
  assert.equal((await listActors(db.sql, "idle", { limit: 2 })).length, 2);
  assert.deepEqual(await listActors(db.sql, "nobody"), []);
});

Deno.test("an actor locked by a drain shows as in flight", async () => {
  await db.sql.begin(async (tx) => {
    await tx`select 1 from actor.actor where kind = 'idle' and key = 'a' for update`;
    const actors = await listActors(db.sql, "idle");
    assert.deepEqual(actors.filter((x) => x.inFlight).map((x) => x.key), ["a"]);
    assert.equal((await showActor(db.sql, "idle", "a")).summary.inFlight, true);
  });
});

Deno.test("show: state, history, timers and dead letters of a live actor", async () => {
  await system.ask("counter", "s1", { type: "add" });
  await system.ask("counter", "s1", { type: "add" });
  await system.tell("counter", "s1", { type: "fail" });
  await eventually(async () => !!(await deadLetterOf("counter", "s1")), "the dead letter");
  await system.tell("counter", "s1", { type: "add" }, { deliverAt: FUTURE });

  const d = await showActor(db.sql, "counter", "s1", { kinds: system.kinds });
  assert.deepEqual(d.state, { status: "ok", value: { n: 2 } });
  assert.deepEqual(d.history.map((h) => `${h.type}:${h.outcome}`), [
    "fail:dead",
    "fail:retry",
    "add:ok",
    "add:ok",
  ]);
  assert.deepEqual(d.pending, []);
  assert.equal(d.timers.length, 1);
  assert.deepEqual([d.timers[0].status, d.timers[0].deliverAt], ["timer", FUTURE]);
  assert.equal(d.deadLetters.length, 1);
  assert.equal(d.deadLetters[0].attempts, 2);
  assert.match(d.deadLetters[0].lastError, /failed on purpose/);
  assert.equal(d.summary.deadLetters, 1);

  assert.deepEqual((await showActor(db.sql, "counter", "s1")).state, { status: "unregistered" });
  assert.equal((await showActor(db.sql, "counter", "s1", { limit: 1 })).history.length, 1);
  await assert.rejects(showActor(db.sql, "counter", "nobody"), NotFound);
});

Deno.test("show: pending messages in delivery order with their status", async () => {
  const d = await showActor(db.sql, "idle", "c");
  assert.deepEqual(d.pending.map((m) => [m.type, m.status, m.attempts, m.lastError]), [
    ["flaky", "backoff", 1, "boom"],
    ["stuck", "blocked", 0, null],
  ]);
  assert.deepEqual(d.state, { status: "unregistered" });
});

Deno.test("retry: a dead letter goes back to the head of its actor's FIFO, same id", async () => {
  const [first] = await park("e", ["first"]);
  await buryMessages(db.sql, [first], ["Error: boom"]);
  await park("e", ["second", "third"]);
  const requeued = await retryDeadLetter(db.sql, first);
  assert.equal(requeued.id, first);
  const d = await showActor(db.sql, "idle", "e");
  assert.deepEqual(d.pending.map((m) => [m.type, m.attempts, m.lastError]), [
    ["first", 0, null],
    ["second", 0, null],
    ["third", 0, null],
  ]);
  assert.equal(d.pending[0].id, first);
  assert.deepEqual(d.deadLetters, []);
  assert.deepEqual(d.history.map((h) => [h.messageId, h.outcome, h.detail]), [
    [first, "requeued", "was: Error: boom"],
  ]);
});

Deno.test("retry: a healed actor handles its requeued message, woken by NOTIFY", async () => {
  const woken: string[] = [];
  const sub = await db.sql.listen("bss_mailbox", (kind) => woken.push(kind));
  const id = await system.tell("flaky", "r1", { type: "work" });
  await eventually(async () => !!(await deadLetterOf("flaky", "r1")), "the dead letter");
  healed.add("r1");
  woken.length = 0;
  await retryDeadLetter(db.sql, id);
  await eventually(async () => (await showActor(db.sql, "flaky", "r1")).summary.depth === 0, "ok");
  await sub.unlisten();
  assert.ok(woken.includes("flaky"));
  const d = await showActor(db.sql, "flaky", "r1");
  assert.deepEqual(d.history.map((h) => [h.messageId, h.outcome]).reverse(), [
    [id, "retry"],
    [id, "dead"],
    [id, "requeued"],
    [id, "ok"],
  ]);
  assert.deepEqual(d.deadLetters, []);
});

Deno.test("discard deletes a dead letter and records it; unknown ids are NotFound", async () => {
  const [id] = await park("f", ["doomed"]);
  await buryMessages(db.sql, [id], ["Error: doomed"]);
  assert.equal((await discardDeadLetter(db.sql, id)).id, id);
  const d = await showActor(db.sql, "idle", "f");
  assert.deepEqual([d.summary.depth, d.deadLetters.length], [0, 0]);
  assert.deepEqual(d.history.map((h) => h.outcome), ["discarded"]);
  await assert.rejects(discardDeadLetter(db.sql, id), NotFound);
  await assert.rejects(retryDeadLetter(db.sql, id), NotFound);
});

Deno.test("tail: rows in id order, late commits included, kind filter and backlog", async () => {
  const insert = (sql: Sql, kind: string) =>
    sql`insert into actor.history (message_id, kind, key, type, outcome, enqueued_at)
      values (0, ${kind}, 't', 'x', 'ok', now()) returning id`;
  const { tail } = await HistoryTail.start(db.sql, { kind: "tailed" });
  let release!: () => void;
  const held = new Promise<void>((r) => release = r);
  let lateId = 0;
  const late = db.sql.begin(async (tx) => {
    [{ id: lateId }] = await insert(tx, "tailed");
    await held;
  });
  await eventually(() => Promise.resolve(lateId > 0), "the late insert");
  const [{ id: early }] = await insert(db.sql, "tailed");
  await insert(db.sql, "other");
  assert.deepEqual((await tail.next()).map((r) => r.id), [early]);
  release();
  await late;
  assert.deepEqual((await tail.next()).map((r) => r.id), [lateId]);
  assert.deepEqual(await tail.next(), []);

  const { backlog } = await HistoryTail.start(db.sql, { kind: "tailed", backlog: 5 });
  assert.deepEqual(backlog.map((r) => r.id), [lateId, early]);
});

const CLI = new URL("../cockpit/actors/main.ts", import.meta.url).pathname;
const ENV = {
  BSS_DB_URL: db.url,
  BSS_API_TOKEN: "inspect-test-token-0123456789abcdef",
  BSS_LOG_LEVEL: "warn",
};

function spawnCli(args: string[]) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args],
    env: ENV,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function cli(...args: string[]) {
  const { code, stdout, stderr } = await spawnCli(args).output();
  const dec = new TextDecoder();
  return { code, out: dec.decode(stdout), err: dec.decode(stderr) };
}

Deno.test("cli: kinds, list and show --json match the query layer", async () => {
  const withoutLag = ({ lagMs: _, ...k }: { lagMs: unknown }) => k;
  const kinds = await cli("kinds", "--json");
  assert.equal(kinds.code, 0, kinds.err);
  assert.deepEqual(
    JSON.parse(kinds.out).map(withoutLag),
    (await kindSummaries(db.sql)).map(withoutLag),
  );
  const list = await cli("list", "idle", "--with-mail", "--json");
  assert.deepEqual(JSON.parse(list.out).map((a: { key: string }) => a.key), ["a", "b", "c", "e"]);
  const show = await cli("show", "counter", "s1", "--json");
  const detail = JSON.parse(show.out);
  assert.deepEqual(detail.state, { status: "unregistered" });
  assert.equal(detail.history[0].outcome, "dead");
});

Deno.test("cli: plain-text tables, no colour when not a terminal", async () => {
  const kinds = await cli("kinds");
  const [header, ...rows] = kinds.out.trim().split("\n").map((l) => l.split(/\s+/));
  assert.deepEqual(header, [
    "KIND",
    "ACTORS",
    "DEPTH",
    "READY",
    "TIMERS",
    "BACKOFF",
    "BLOCKED",
    "DEAD",
    "LAG",
  ]);
  const idle = (await kindSummaries(db.sql)).find((k) => k.kind === "idle")!;
  const row = rows.find((r) => r[0] === "idle")!;
  assert.deepEqual(row.slice(1, 8).map(Number), [idle.actors, ...COUNTS.map((c) => idle[c])]);
  assert.match(row[8], /^1m\d\ds$/);
  const show = await cli("show", "counter", "s1");
  assert.match(show.out, /state: \(kind not registered in this process\)/);
  assert.match(show.out, /dead letters \(1\)/);
  assert.ok(!kinds.out.includes("\x1b") && !show.out.includes("\x1b"));
});

Deno.test("cli: dead, retry and discard; unknown id exits 3", async () => {
  const id = await system.tell("flaky", "r2", { type: "work" });
  await eventually(async () => !!(await deadLetterOf("flaky", "r2")), "the dead letter");
  const dead = await cli("dead", "--kind", "flaky", "--json");
  assert.deepEqual(JSON.parse(dead.out).map((d: { id: number }) => d.id), [id]);
  healed.add("r2");
  const retry = await cli("retry", String(id), "--json");
  assert.equal(retry.code, 0, retry.err);
  assert.equal(JSON.parse(retry.out).requeued.id, id);
  // Discarding is destructive: refused without the flag (no terminal here), and only then looked up.
  const refused = await cli("discard", String(id));
  assert.equal(refused.code, 4);
  assert.match(refused.err, /^actors: actors discard is destructive: refused without --allow-/);
  const again = await cli("discard", String(id), "--allow-destructive");
  assert.equal(again.code, 3);
  assert.equal(again.err.trim(), `actors: dead letter ${id} not found`);
  await eventually(async () => (await showActor(db.sql, "flaky", "r2")).summary.depth === 0, "ok");
});

Deno.test("cli: at a terminal, discard runs once its verb is typed", async () => {
  const asked: string[] = [];
  const answer = (typed: string) => (question: string) => (asked.push(question), typed);
  assert.equal(await runCli(["discard", "999999"], { env: ENV, confirm: answer("no") }), 4);
  assert.equal(await runCli(["discard", "999999"], { env: ENV, confirm: answer("discard") }), 3);
  assert.deepEqual(asked, [
    'actors discard is destructive. Type "discard" to run it, anything else cancels:',
    'actors discard is destructive. Type "discard" to run it, anything else cancels:',
  ]);
});

Deno.test("cli: bad arguments print the usage and exit 2, without a stack", async () => {
  for (
    const args of [[], ["bogus"], ["list"], ["list", "idle", "--limit", "0"], ["retry", "x"], [
      "dead",
      "--nope",
    ]]
  ) {
    const r = await cli(...args);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.err, /^actors: .+\n\nUsage: deno task actors/, args.join(" "));
    assert.doesNotMatch(r.err, /\n\s+at /);
  }
  const help = await cli("retry", "--help");
  assert.equal(help.code, 0);
  assert.match(help.out, /Examples:\n {2}deno task actors retry 42/);
});

/** Starts `actors tail …` and waits until it follows the history. */
async function tailing(...args: string[]) {
  const child = spawnCli(["tail", ...args]);
  const err = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let said = "";
  while (!said.includes("tailing")) said += (await err.read()).value ?? "";
  await err.cancel();
  return child;
}

Deno.test("cli: tail prints the backlog, then live lines; stops at --count or Ctrl-C", async () => {
  const backlog = await cli("tail", "--kind", "counter", "-n", "2", "--count", "2", "--json");
  assert.equal(backlog.code, 0, backlog.err);
  assert.deepEqual(
    backlog.out.trim().split("\n").map((l) => JSON.parse(l).kind),
    ["counter", "counter"],
  );

  const child = await tailing("--kind", "counter", "--count", "2", "--for", "30", "--json");
  await system.ask("counter", "t1", { type: "add" });
  await system.ask("counter", "t1", { type: "get" });
  const [out, { code }] = await Promise.all([new Response(child.stdout).text(), child.status]);
  assert.equal(code, 0);
  const lines = out.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => `${l.key}:${l.type}:${l.outcome}`), [
    "t1:add:ok",
    "t1:get:ok",
  ]);

  const interrupted = await tailing();
  interrupted.kill("SIGINT");
  const [, status] = await Promise.all([interrupted.stdout.cancel(), interrupted.status]);
  assert.equal(status.code, 0, "Ctrl-C ends the tail cleanly");
});

shutdownTest(system, db);
