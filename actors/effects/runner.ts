/**
 * The effect runner: runs staged effects (`effect.ts`) after their turn committed, outside
 * any mailbox transaction, and reports each outcome to the actor that staged it.
 *
 * 1. claim: pending, due rows whose lease is free are leased (`lease_until`) and their
 *    attempt counted, in a statement of their own (committed before the call). An effect
 *    staged in this process while the runner had a free slot comes already leased, by its
 *    staging turn's own transaction (`effect.ts`), and runs as soon as that commits;
 * 2. run: the handler calls the other service with the row's idempotency key;
 * 3. report: one transaction marks the row done and hands the outcome to the actor (its turn
 *    run at once when the actor is idle and hosted in this process, else a message).
 *
 * A runner renews the leases of the effects it runs, so a lease can be short (10 s) without a
 * slow run being taken over. A process killed between 2 and 3 leaves its leases to a runner of
 * another process, at once (a lease names its holder, see `holder.ts`); the next claim runs the
 * same effect with the same key and the callee repeats its first answer (a charge is made once).
 * A database lost at 3 (a restart) does not: the report is tried again for as long as a lease
 * lasts.
 * A PolicyViolation is an outcome (a refusal), not a failure; anything else is retried with
 * backoff and, past `maxAttempts`, reported as a failure the actor compensates.
 *
 * @module
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, trace } from "@opentelemetry/api";
import { type CallerContext, SYSTEM, withCaller } from "../../kernel/context.ts";
import { writeThroughLoss } from "../../kernel/db/connection_loss.ts";
import { holderGone, PROCESS_HOLDER } from "../../kernel/db/holder.ts";
import type { Pool, Sql } from "../../kernel/db/types.ts";
import { PolicyViolation } from "../../kernel/errors.ts";
import { log } from "../../kernel/log.ts";
import { Signal } from "../runtime/signal.ts";
import { runLocally, wakeLocally } from "../runtime/local_wake.ts";
import { enqueueMany } from "../runtime/sql.ts";
import { EFFECT_CHANNEL, type EffectOutcome, type EffectRow, registerLocally } from "./effect.ts";

const tracer = trace.getTracer("bss.effects");

/** Runs one effect; `key` is its idempotency key. A PolicyViolation is a refusal. */
export type EffectHandler = (input: Record<string, unknown>, key: string) => Promise<unknown>;

/** Tuning of a runner. */
export interface RunnerOptions {
  /**
   * How long a claim is exclusive; a runner that died is taken over after it. A runner renews
   * the leases of the effects it runs every third of it, so a slow run is not taken over.
   */
  leaseMs: number;
  /**
   * How long a run's lease is renewed at most: a run that hangs (a call that never answers) is
   * then taken over like a dead runner's.
   */
  maxRunMs: number;
  /** Effects run at once by this runner. */
  concurrency: number;
  /** Idle poll (backoff, expired leases, missed notifications). */
  pollMs: number;
  /** Failed runs before the failure is reported as the outcome. */
  maxAttempts: number;
  /** First retry delay, doubling per attempt (capped at 60 s). */
  backoffMs: number;
  /** The service whose swimlane the effects' spans join (default: the reporting kind). */
  service?: string;
  /** Test seam: called after a handler returned and before its outcome is reported. */
  beforeReport?: (row: EffectRow) => Promise<void>;
}

const DEFAULTS: RunnerOptions = {
  leaseMs: 10_000,
  maxRunMs: 60_000,
  concurrency: 32,
  pollMs: 250,
  maxAttempts: 8,
  backoffMs: 200,
};

/** A running effect runner. */
export interface EffectRunner {
  /** Waits for the effects in flight, then stops. */
  stop(): Promise<void>;
}

/** Starts a runner for the effect types of `handlers`. */
export async function startEffectRunner(
  sql: Pool,
  handlers: Record<string, EffectHandler>,
  options: Partial<RunnerOptions> = {},
): Promise<EffectRunner> {
  const o = { ...DEFAULTS, ...options };
  const types = Object.keys(handlers);
  const signal = new Signal();
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  const listener = await sql.listen(EFFECT_CHANNEL, (type) => {
    if (types.includes(type)) signal.notify();
  });

  // The claim's commit need not wait for the disk: lost in a server crash, it leaves the row
  // unclaimed and the effect runs again under its key (the callee repeats its first answer).
  const claim = (limit: number) =>
    sql<EffectRow[]>`
      with settings as (select set_config('synchronous_commit', 'off', true))
      update effect.effect e
      set lease_until = now() + make_interval(secs => ${o.leaseMs / 1000}),
        attempts = e.attempts + 1, holder = ${PROCESS_HOLDER}
      from settings
      where id in (
        select id from effect.effect
        where state = 'pending' and run_after <= now() and type = any(${types}::text[])
          and (lease_until is null or lease_until < now() or ${holderGone(sql, "holder")})
        order by id limit ${limit}
        for update skip locked)
      returning id, type, idempotency_key, input, reply_kind, reply_key, reply_type, attempts,
        context`;

  // The row marked done and, only if this runner marked it (another runner that outlived its
  // lease may have reported first: say nothing twice), the outcome handed to the actor in the
  // same transaction: its turn run at once when a system of this process hosts the actor and
  // it is idle, else the outcome enqueued, in one statement.
  const report = async (row: EffectRow, outcome: EffectOutcome) => {
    const message = { type: row.reply_type, effectKey: row.idempotency_key, outcome };
    const markDone = (tx: Sql) =>
      tx`
        update effect.effect set state = 'done', outcome = ${JSON.stringify(outcome)}::text::jsonb,
          done_at = now(), lease_until = null
        where id = ${row.id} and state = 'pending'
        returning id`;
    // The outcome's own messages may run in its transaction too, unless an earlier attempt
    // of this effect may have died in one (see `Worker.runAlone`).
    const ran = await runLocally(row.reply_kind, row.reply_key, message, row.context, {
      guard: markDone,
      cascade: row.attempts === 1,
    });
    if (ran.outcome !== "mailbox") return;
    const sent = await enqueueMany(
      sql,
      [{ kind: row.reply_kind, key: row.reply_key, body: message, context: row.context }],
      "",
      markDone(sql),
    );
    if (sent.length) wakeLocally(row.reply_kind);
  };

  const retryLater = (row: EffectRow, error: string) => {
    const delay = Math.min(o.backoffMs * 2 ** (row.attempts - 1), 60_000);
    return sql`
      update effect.effect set lease_until = null, last_error = ${error},
        run_after = now() + make_interval(secs => ${delay / 1000})
      where id = ${row.id} and state = 'pending'`;
  };

  // The database lost while an outcome is written (a restart): the outcome is known here, so
  // the write is tried again for as long as a lease lasts, rather than the effect left to wait
  // out its lease and run once more. Both writes touch the row only while it is pending: one
  // whose commit held but whose answer was lost is not written twice.
  const persist = (write: () => Promise<unknown>) =>
    writeThroughLoss(write, Date.now() + o.leaseMs, () => stopping);

  // The effects running here, by id, with when they started: their leases are renewed until
  // `maxRunMs` (a retry or a report clears the lease or the pending state first, so a late
  // renewal does not hold the row back).
  const running = new Map<number, number>();
  let renewing = false;
  const renewal = setInterval(async () => {
    const since = Date.now() - o.maxRunMs;
    const ids = [...running].filter(([, started]) => started > since).map(([id]) => id);
    if (renewing || ids.length === 0) return;
    renewing = true;
    try {
      await sql`
        update effect.effect set lease_until = now() + make_interval(secs => ${o.leaseMs / 1000})
        where id = any(${ids}::bigint[]) and state = 'pending' and lease_until is not null`;
    } catch (e) {
      log.warn("effect.renew_failed", { error: String(e) });
    } finally {
      renewing = false;
    }
  }, o.leaseMs / 3);

  async function run(row: EffectRow): Promise<void> {
    let outcome: EffectOutcome;
    try {
      const value = await inTraceOf(
        row,
        o.service ?? row.reply_kind,
        () => withCaller(callerOf(row), () => handlers[row.type](row.input, row.idempotency_key)),
      );
      outcome = { ok: true, value: value ?? null };
    } catch (e) {
      if (e instanceof PolicyViolation) {
        outcome = { ok: false, refusal: { rule: e.rule, message: e.message, context: e.context } };
      } else if (row.attempts < o.maxAttempts) {
        log.warn("effect.failed", { type: row.type, key: row.idempotency_key, error: String(e) });
        await persist(() => retryLater(row, String(e)));
        return;
      } else {
        log.error("effect.gave_up", { type: row.type, key: row.idempotency_key, error: String(e) });
        outcome = { ok: false, error: String(e) };
      }
    }
    await o.beforeReport?.(row);
    await persist(() => report(row, outcome));
  }

  // Set when a claim filled every free slot, or a wake-up found none free (an effect staged
  // while adopted ones filled them): due effects may be left, so a finished run wakes the loop
  // to claim again. Otherwise a claim took all that was due, and new effects wake it
  // themselves (their NOTIFY or the local wake-up): a finished run need not.
  let saturated = false;

  function launch(row: EffectRow) {
    running.set(row.id, Date.now());
    const p = run(row)
      .catch((e) => log.warn("effect.report_failed", { id: row.id, error: String(e) }))
      .finally(() => {
        running.delete(row.id);
        inFlight.delete(p);
        if (saturated) signal.notify();
      });
    inFlight.add(p);
  }

  // An effect staged in this process while a slot was free comes leased to this runner. One
  // staged while it stopped gets its lease back, for the next runner to claim at once.
  const release = (row: EffectRow) =>
    sql`
      update effect.effect set lease_until = null, attempts = attempts - 1
      where id = ${row.id} and state = 'pending'`.catch(() => {});
  const unregister = registerLocally(types, {
    wake: () => signal.notify(),
    takes: () => stopping || inFlight.size >= o.concurrency ? null : o.leaseMs,
    adopt: (row) => stopping ? void release(row) : launch(row),
  });

  const loop = (async () => {
    while (!stopping) {
      const room = o.concurrency - inFlight.size;
      if (room > 0) {
        try {
          const rows = await claim(room);
          saturated = rows.length === room;
          rows.forEach(launch);
        } catch (e) {
          if (!stopping) log.warn("effect.claim_failed", { error: String(e) });
        }
      } else saturated = true;
      // After any claim: an effect staged meanwhile left its wake-up pending, so this returns
      // at once for it; a claim that found nothing more is not repeated.
      await signal.wait(o.pollMs);
    }
  })();

  return {
    async stop() {
      stopping = true;
      signal.notify();
      await loop;
      await Promise.all(inFlight);
      clearInterval(renewal);
      await listener.unlisten().catch(() => {});
      unregister();
    },
  };
}

/** Runs `fn` in a span of the staging turn's trace, so the effect's calls join that trace. */
function inTraceOf<T>(row: EffectRow, service: string, fn: () => Promise<T>): Promise<T> {
  const parent = propagation.extract(ROOT_CONTEXT, { traceparent: row.context.traceparent });
  return context.with(parent, () =>
    tracer.startActiveSpan(`effect ${row.type}`, {
      kind: SpanKind.INTERNAL,
      attributes: {
        "bss.service": service,
        "bss.effect.key": row.idempotency_key,
        "bss.effect.attempt": row.attempts,
      },
    }, async (span) => {
      try {
        return await fn();
      } finally {
        span.end();
      }
    }));
}

/** The staging turn's caller (its context keys), over the system defaults. */
function callerOf(row: EffectRow): CallerContext {
  return { ...SYSTEM, ...row.context };
}
