/**
 * The effect runner: an effect staged by a turn runs after commit with its idempotency key and
 * its outcome comes back to the actor as a message; a runner that dies between running the
 * effect and reporting it is taken over when its lease runs out, and the re-run carries the
 * same key, so an idempotent callee acts once, while a slow run keeps its lease (its runner
 * renews it), and one whose holder's process is gone is taken over at once; refusals are
 * outcomes, failures retried; an outcome for an idle actor of this
 * process is handled at once, in the report's transaction.
 */
import assert from "node:assert/strict";
import { outcomeMessage, stageEffect } from "../actors/effects/effect.ts";
import { type EffectHandler, startEffectRunner } from "../actors/effects/runner.ts";
import { ActorSystem } from "../actors/runtime/system.ts";
import type { ActorKind } from "../actors/runtime/types.ts";
import { PROCESS_HOLDER } from "../kernel/db/holder.ts";
import type { Sql } from "../kernel/db/types.ts";
import { PolicyViolation } from "../kernel/errors.ts";
import { waitFor } from "./support/bridge.ts";
import { freshDatabase } from "./support/db.ts";

const db = await freshDatabase("effect_runner");
const { sql } = db;
await sql`create table probe_outcome (key text, effect_key text, outcome jsonb)`;
// The callee: one row per idempotency key, whatever the number of calls.
await sql`create table probe_charge (key text primary key, n int not null)`;

const Outcome = outcomeMessage("charged");

const probeKind: ActorKind = {
  kind: "effect_probe",
  async handle(turn, m) {
    if (m.type === "start") {
      await stageEffect(turn, {
        type: String(m.effect),
        key: `charge:${turn.key}`,
        input: { amount: 10 },
        replyType: "charged",
      });
      return;
    }
    const o = Outcome.parse(m);
    await turn.sql`insert into probe_outcome values (${turn.key}, ${o.effectKey},
      ${JSON.stringify(o.outcome)}::text::jsonb)`;
  },
};

/** Charges once per key, like the payment service; counts every call. */
const calls: string[] = [];
const charge: EffectHandler = async (_input, key) => {
  calls.push(key);
  const [row] = await sql`
    insert into probe_charge values (${key}, 1)
    on conflict (key) do update set n = probe_charge.n returning n`;
  return { chargeId: key, n: row.n };
};
let flaky = 0;
const handlers: Record<string, EffectHandler> = {
  "probe.charge": charge,
  "probe.refuse": () => Promise.reject(new PolicyViolation("probe.refused", "no", { why: 1 })),
  "probe.flaky": () => ++flaky < 3 ? Promise.reject(new Error("down")) : Promise.resolve("up"),
  "probe.broken": () => Promise.reject(new Error("always down")),
};

const system = new ActorSystem(sql, { pollMs: 50, workers: 1, backoffMs: 50 });
system.register(probeKind);
await system.start();

const outcomesOf = (key: string) =>
  sql<{ effect_key: string; outcome: Record<string, unknown> }[]>`
    select effect_key, outcome from probe_outcome where key = ${key}`;
const settled = (key: string) => async () => (await outcomesOf(key)).length > 0;
const effectRow = async (key: string, s: Sql = sql) =>
  (await s`select * from effect.effect where idempotency_key = ${key}`)[0];

Deno.test("a staged effect runs after commit and its outcome comes back as a message", async () => {
  const runner = await startEffectRunner(sql, handlers, { pollMs: 50 });
  try {
    await system.tell("effect_probe", "A", { type: "start", effect: "probe.charge" });
    await waitFor(settled("A"), "the outcome of A");
    const [o] = await outcomesOf("A");
    assert.equal(o.effect_key, "charge:A");
    assert.deepEqual(o.outcome, { ok: true, value: { chargeId: "charge:A", n: 1 } });
    const row = await effectRow("charge:A");
    assert.equal(row.state, "done");
    assert.equal(row.attempts, 1);
    // staging the same key again (a replayed turn) changes nothing
    await system.tell("effect_probe", "A", { type: "start", effect: "probe.charge" });
    await waitFor(
      async () => (await sql`select 1 from actor.mailbox where key = 'A'`).length === 0,
      "the replay handled",
    );
    assert.equal((await outcomesOf("A")).length, 1);
    assert.equal(calls.filter((k) => k === "charge:A").length, 1);
  } finally {
    await runner.stop();
  }
});

Deno.test("a runner killed between the call and its report: the next one resumes with the same key", async () => {
  const crashed = Promise.withResolvers<void>();
  const dying = await startEffectRunner(sql, handlers, {
    pollMs: 50,
    leaseMs: 400,
    // the call happened; the process dies before the outcome is written
    beforeReport: () => {
      crashed.resolve();
      return Promise.reject(new Error("killed"));
    },
  });
  await system.tell("effect_probe", "B", { type: "start", effect: "probe.charge" });
  await crashed.promise;
  await dying.stop();
  assert.deepEqual(calls.filter((k) => k === "charge:B"), ["charge:B"]);
  const leased = await effectRow("charge:B");
  assert.equal(leased.state, "pending");
  assert.equal(leased.attempts, 1);
  assert.equal((await outcomesOf("B")).length, 0);

  const next = await startEffectRunner(sql, handlers, { pollMs: 50, leaseMs: 400 });
  try {
    await waitFor(settled("B"), "the resumed outcome of B");
    // the same key twice, the callee's one charge, one outcome
    assert.deepEqual(calls.filter((k) => k === "charge:B"), ["charge:B", "charge:B"]);
    const [charges] = await sql`select count(*)::int as n from probe_charge where key = 'charge:B'`;
    assert.equal(charges.n, 1);
    const outcomes = await outcomesOf("B");
    assert.equal(outcomes.length, 1);
    assert.deepEqual(outcomes[0].outcome, { ok: true, value: { chargeId: "charge:B", n: 1 } });
    assert.equal((await effectRow("charge:B")).attempts, 2);
  } finally {
    await next.stop();
  }
});

Deno.test("a refusal is an outcome; a failure is retried, then reported after the last attempt", async () => {
  const runner = await startEffectRunner(sql, handlers, {
    pollMs: 50,
    backoffMs: 20,
    maxAttempts: 4,
  });
  try {
    await system.tell("effect_probe", "C", { type: "start", effect: "probe.refuse" });
    await system.tell("effect_probe", "D", { type: "start", effect: "probe.flaky" });
    await system.tell("effect_probe", "E", { type: "start", effect: "probe.broken" });
    for (const k of ["C", "D", "E"]) await waitFor(settled(k), `the outcome of ${k}`);
    const [c] = await outcomesOf("C");
    assert.deepEqual(c.outcome, {
      ok: false,
      refusal: { rule: "probe.refused", message: "no", context: { why: 1 } },
    });
    assert.equal((await effectRow("charge:C")).attempts, 1);
    const [d] = await outcomesOf("D");
    assert.deepEqual(d.outcome, { ok: true, value: "up" });
    assert.equal((await effectRow("charge:D")).attempts, 3);
    const [e] = await outcomesOf("E");
    assert.deepEqual(e.outcome, { ok: false, error: "Error: always down" });
    const broken = await effectRow("charge:E");
    assert.equal(broken.attempts, 4);
    assert.equal(broken.last_error, "Error: always down");
  } finally {
    await runner.stop();
  }
});

Deno.test("an outcome runs its turn at once when its actor is idle here, else waits in its mailbox", async () => {
  // No drain loop here: an outcome applied at all was applied at once.
  const still = new ActorSystem(sql, { workers: 0 });
  still.register({ ...probeKind, kind: "effect_probe_still" });
  await still.start();
  const held = Promise.withResolvers<void>();
  let holding: Promise<unknown> = Promise.resolve();
  // Before S2's outcome is reported, another transaction takes S2's actor row.
  const holdS2 = () =>
    new Promise<void>((locked) => {
      holding = sql.begin(async (tx) => {
        await tx`select 1 from actor.actor where kind = 'effect_probe_still' and key = 'S2'
          for update`;
        locked();
        await held.promise;
      });
    });
  const runner = await startEffectRunner(sql, handlers, {
    pollMs: 50,
    beforeReport: (row) => row.reply_key === "S2" ? holdS2() : Promise.resolve(),
  });
  try {
    await still.ask("effect_probe_still", "S1", { type: "start", effect: "probe.charge" });
    await waitFor(settled("S1"), "the outcome of S1, with no drain loop");
    await still.ask("effect_probe_still", "S2", { type: "start", effect: "probe.charge" });
    await waitFor(async () => (await effectRow("charge:S2")).state === "done", "S2 reported");
    const mail = await sql`select type from actor.mailbox where key = 'S2'`;
    assert.deepEqual(mail.map((m) => m.type), ["charged"]);
    assert.equal((await outcomesOf("S2")).length, 0);
  } finally {
    held.resolve();
    await holding;
    await runner.stop();
    await still.stop();
  }
});

Deno.test("a runner of this process with a free slot takes an effect at staging; a full one leaves it to a claim as soon as a slot frees", async () => {
  const gate = Promise.withResolvers<void>();
  // How far the lease reaches past the row's creation (the staging transaction's now()).
  const leaseReach = async (key: string) =>
    (await sql`select extract(epoch from lease_until - created_at) * 1000 as ms, attempts
      from effect.effect where idempotency_key = ${key}`)[0];
  const seen: Record<string, { ms: number; attempts: number }> = {};
  const runner = await startEffectRunner(sql, {
    "probe.held": async (_input, key) => {
      if (key === "charge:F") await gate.promise;
      return key;
    },
  }, {
    // No poll in this test's time: G is claimed because F's slot came free.
    pollMs: 600_000,
    leaseMs: 60_000,
    concurrency: 1,
    beforeReport: async (row) => {
      const r = await leaseReach(row.idempotency_key);
      seen[row.reply_key] = { ms: Number(r.ms), attempts: r.attempts };
    },
  });
  try {
    await system.tell("effect_probe", "F", { type: "start", effect: "probe.held" });
    await waitFor(async () => (await effectRow("charge:F"))?.attempts === 1, "F running");
    // F fills the only slot: G is staged unleased and waits for a claim.
    await system.tell("effect_probe", "G", { type: "start", effect: "probe.held" });
    await waitFor(async () => (await effectRow("charge:G")) !== undefined, "G staged");
    const waiting = await effectRow("charge:G");
    assert.equal(waiting.attempts, 0);
    assert.equal(waiting.lease_until, null);
    gate.resolve();
    for (const k of ["F", "G"]) await waitFor(settled(k), `the outcome of ${k}`);
    // F was leased in its staging transaction (the lease counts from the row's creation, to
    // the millisecond); G by a later claim, whose lease counts from the claim.
    assert.deepEqual(seen.F, { ms: 60_000, attempts: 1 });
    assert.equal(seen.G.attempts, 1);
    assert.ok(seen.G.ms > 60_000, `G's lease reaches ${seen.G.ms} ms past its creation`);
  } finally {
    gate.resolve();
    await runner.stop();
  }
});

/**
 * A handler of `type` that records each run's key and holds the runs `holds` picks (by their
 * number, from 1) until `gate` is resolved.
 */
function gated(type: string, holds: (run: number) => boolean) {
  const gate = Promise.withResolvers<void>();
  const started: string[] = [];
  const handlers: Record<string, EffectHandler> = {
    [type]: async (_input, key) => {
      started.push(key);
      if (holds(started.length)) await gate.promise;
      return key;
    },
  };
  return { gate, started, handlers };
}

Deno.test("a run slower than the lease keeps it: its runner renews it, and no other runner takes the effect over", async () => {
  const { gate, started, handlers: slow } = gated("probe.slow", () => true);
  const one = await startEffectRunner(sql, slow, { pollMs: 50, leaseMs: 300 });
  try {
    await system.tell("effect_probe", "S", { type: "start", effect: "probe.slow" });
    await waitFor(() => Promise.resolve(started.length === 1), "the slow run");
    // Another runner polls throughout four leases' time.
    const other = await startEffectRunner(sql, slow, { pollMs: 50, leaseMs: 300 });
    await new Promise((r) => setTimeout(r, 1200));
    gate.resolve();
    await waitFor(settled("S"), "the outcome of S");
    await other.stop();
    assert.deepEqual(started, ["charge:S"]);
    assert.equal((await effectRow("charge:S")).attempts, 1);
  } finally {
    gate.resolve();
    await one.stop();
  }
});

Deno.test("a run that hangs past maxRunMs loses its lease: another runner takes the effect over", async () => {
  // The first run never answers.
  const { gate, started, handlers: hung } = gated("probe.hung", (run) => run === 1);
  const options = { pollMs: 50, leaseMs: 300, maxRunMs: 600 };
  const one = await startEffectRunner(sql, hung, options);
  const other = await startEffectRunner(sql, hung, options);
  try {
    await system.tell("effect_probe", "H", { type: "start", effect: "probe.hung" });
    await waitFor(settled("H"), "the outcome of H, from the run that took over");
    assert.deepEqual(started, ["charge:H", "charge:H"]);
    assert.equal((await effectRow("charge:H")).attempts, 2);
  } finally {
    gate.resolve();
    await other.stop();
    await one.stop();
  }
});

Deno.test("a lease whose holder's process is gone is taken over at once; a live holder's is not", async () => {
  // Staged unleased (no runner here), then leased for an hour: to a gone process, to this one.
  for (const key of ["Gone", "Live"]) {
    await system.tell("effect_probe", key, { type: "start", effect: "probe.charge" });
    await waitFor(async () => (await effectRow(`charge:${key}`)) !== undefined, `${key} staged`);
  }
  await sql`
    update effect.effect set lease_until = now() + interval '1 hour', attempts = 1,
      holder = case idempotency_key when 'charge:Gone' then 'bss/0/gone' else ${PROCESS_HOLDER} end
    where idempotency_key in ('charge:Gone', 'charge:Live')`;
  const runner = await startEffectRunner(sql, handlers, { pollMs: 50 });
  try {
    await waitFor(settled("Gone"), "the outcome of Gone");
    const gone = await effectRow("charge:Gone");
    assert.equal(gone.attempts, 2);
    assert.equal(gone.holder, PROCESS_HOLDER, "the taker holds it now");
    // Every claim since the runner started saw Live, held by a live process: none took it.
    const live = await effectRow("charge:Live");
    assert.equal(live.state, "pending");
    assert.equal(live.attempts, 1);
    assert.deepEqual(calls.filter((k) => k === "charge:Live"), []);
  } finally {
    await runner.stop();
  }
});

Deno.test("cleanup", async () => {
  await system.stop();
  await db.drop();
});
