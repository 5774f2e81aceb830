/**
 * The actor system of one process: the kinds it hosts, its drain loops, `tell` and `ask`.
 * Any number of processes may host the same kinds against one database; the mailbox SQL
 * keeps each actor single-writer and FIFO across all of them.
 *
 * @module
 */
import { context, SpanKind, trace } from "@opentelemetry/api";
import { currentCaller } from "../../kernel/context.ts";
import { fromWireError, type WireError } from "../../kernel/errors.ts";
import type { Pool, Sql } from "../../kernel/db/types.ts";
import { currentTraceparent } from "../../kernel/events.ts";
import { log } from "../../kernel/log.ts";
import { Asks, within } from "./asks.ts";
import { onLocalRun, onLocalWake } from "./local_wake.ts";
import { Permits } from "./permits.ts";
import { Signal } from "./signal.ts";
import { enqueueMany, kindsWithDueMail, parseWake, prune } from "./sql.ts";
import type { ActorKind, Envelope, EventSink, RuntimeOptions, TellOptions } from "./types.ts";
import { messageContext, type RanAlone, type RunOptions, Worker } from "./worker.ts";

const tracer = trace.getTracer("bss.actors");

/** Defaults matching the `BSS_ACTOR_*` settings. */
export const DEFAULT_RUNTIME: RuntimeOptions = {
  workers: 2,
  maxAttempts: 5,
  backoffMs: 500,
  pollMs: 250,
  batchActors: 64,
  batchPerActor: 16,
  askTimeoutMs: 10_000,
  sqlSpans: "summary",
};

/** How many poll intervals an idle loop sleeps when nothing wakes it (a safety net). */
const IDLE_LOOP_POLLS = 20;

/** Options of an `ask`. */
export interface AskOptions extends TellOptions {
  timeoutMs?: number;
}

/** Hosts actor kinds in this process and talks to actors anywhere. */
export class ActorSystem {
  readonly asks = new Asks();
  readonly options: RuntimeOptions;
  #kinds = new Map<string, ActorKind>();
  /** One wake-up signal per hosted kind: a message for a kind wakes only its loops. */
  #signals = new Map<string, Signal>();
  #loops: Promise<void>[] = [];
  /**
   * Per hosted kind, the worker that runs a turn at once when its actor is idle: an ask's, an
   * effect outcome's, or one another turn's transaction takes on (see `Worker.#cascade`).
   */
  #alone = new Map<string, Worker>();
  /** The hosted kinds whose last batch left mail behind (see `Worker.drainOnce`'s `more`). */
  #backlogged = new Set<string>();
  /** Turns run at once that have not finished (waited for on stop). */
  #running = new Set<Promise<unknown>>();
  #stopping = false;
  #cleanup: Array<() => Promise<void>> = [];
  #batches: Permits;
  /** Wakes put off until a delayed message is due (cleared on stop). */
  #timers = new Set<ReturnType<typeof setTimeout>>();

  /**
   * @param events Writes and delivers each batch's events in its transaction (the brokerless
   *   bridge's `inlineDelivery`); without it they go to the outbox for the relay.
   */
  constructor(
    private readonly sql: Pool,
    options: Partial<RuntimeOptions> = {},
    private readonly events?: EventSink,
  ) {
    this.options = { ...DEFAULT_RUNTIME, ...options };
    // One connection of the pool stays free for the batches' turn claims (see Permits).
    this.#batches = new Permits((sql.options?.max ?? 10) - 1);
  }

  /** Hosts `kind` in this process (before {@link start}). */
  register(kind: ActorKind): this {
    // deno-lint-ignore no-explicit-any
    this.#kinds.set(kind.kind, kind as ActorKind<any>);
    return this;
  }

  /** The kinds hosted here. */
  get kinds(): ReadonlyMap<string, ActorKind> {
    return this.#kinds;
  }

  /** Sends a message; it is handled after the sending transaction (or statement) commits. */
  async tell(
    kind: string,
    key: string,
    message: Envelope,
    options: TellOptions = {},
    sql: Sql = this.sql,
  ): Promise<number> {
    const local = sql === this.sql;
    const [{ id }] = await enqueueMany(sql, [{
      kind,
      key,
      body: message,
      deliverAt: options.deliverAt,
      delayMs: options.delayMs,
      context: messageContext(currentCaller(), currentTraceparent(), !!options.deliverAt),
    }], local ? this.asks.processId : "");
    if (local) this.#wakeFor(kind, options.delayMs);
    return id;
  }

  /** Sends a message and waits for the handler's reply (or its PolicyViolation/NotFound). */
  ask<T = unknown>(
    kind: string,
    key: string,
    message: Envelope,
    options: AskOptions = {},
  ): Promise<T> {
    return tracer.startActiveSpan(
      `ask ${kind} ${message.type}`,
      { kind: SpanKind.PRODUCER },
      async (span) => {
        try {
          const timeout = options.timeoutMs ?? this.options.askTimeoutMs;
          const what = `${kind}/${key} ${message.type}`;
          if (!options.delayMs && !options.deliverAt) {
            const context = messageContext(currentCaller(), currentTraceparent());
            const ran = await within(this.#runAtOnce(kind, key, message, context), timeout, what);
            if (ran.outcome === "ran") {
              if (!ran.reply.ok) throw fromWireError(ran.reply.body as WireError);
              return ran.reply.body as T;
            }
          }
          const { replyTo, reply } = this.asks.open(timeout, what);
          // A local worker may settle the reply before the enqueue below returns; mark it
          // handled now so an early rejection is not reported as unhandled (it is awaited below).
          reply.catch(() => {});
          await enqueueMany(this.sql, [{
            kind,
            key,
            body: message,
            deliverAt: options.deliverAt,
            delayMs: options.delayMs,
            replyTo,
            context: messageContext(currentCaller(), currentTraceparent(), !!options.deliverAt),
          }], this.asks.processId);
          this.#wakeFor(kind, options.delayMs);
          return await reply as T;
        } finally {
          span.end();
        }
      },
    );
  }

  /**
   * Runs `message`'s turn at once if `kind` is hosted here, its loops have no backlog and the
   * actor is idle, in one transaction with `options` (see `Worker.runAlone`);
   * `mailbox` when it must be sent the usual way (nothing was written). A turn still running
   * on stop is waited for.
   */
  #runAtOnce(
    kind: string,
    key: string,
    message: Envelope,
    context: Record<string, string | undefined>,
    options?: RunOptions,
  ): Promise<RanAlone> {
    const worker = this.#atOnce(kind);
    if (!worker) return Promise.resolve({ outcome: "mailbox" });
    const run = this.#batches.with(() => worker.runAlone(kind, key, message, context, options));
    this.#running.add(run);
    run.catch(() => {}).finally(() => this.#running.delete(run));
    return run;
  }

  /**
   * The worker that runs `kind`'s turns at once, if hosted here. While the kind's loops have
   * a backlog, its mail is batched instead: many turns share a transaction's lock, claim and
   * commit, which a burst needs more than one turn's latency.
   */
  #atOnce(kind: string): Worker | undefined {
    return this.#stopping || this.#backlogged.has(kind) ? undefined : this.#alone.get(kind);
  }

  /** Starts the drain loops and the listeners. */
  async start(): Promise<void> {
    const mailbox = await this.sql.listen("bss_mailbox", (payload) => {
      const { kind, origin, delayMs } = parseWake(payload);
      // This process woke its own loops when it sent the message.
      if (origin === this.asks.processId) return;
      if (kind === "") { for (const signal of this.#signals.values()) signal.notify(); }
      else this.#wakeFor(kind, delayMs);
    });
    const replies = await this.sql.listen(
      "bss_reply",
      (id) => void this.asks.collect(this.sql, [id]),
      () => this.asks.collect(this.sql),
    );
    const local = onLocalWake((kind) => this.#wakeFor(kind));
    const atOnce = onLocalRun((kind, ...rest) =>
      this.#alone.has(kind) ? this.#runAtOnce(kind, ...rest) : undefined
    );
    this.#cleanup.push(() => mailbox.unlisten(), () => replies.unlisten(), () => {
      local();
      atOnce();
      return Promise.resolve();
    });
    const sweep = setInterval(() => {
      this.asks.collect(this.sql).catch((e) =>
        log.warn("actor.ask.collect_failed", { error: String(e) })
      );
    }, 1000);
    const pruner = setInterval(() => prune(this.sql).catch(() => {}), 60_000);
    this.#cleanup.push(() => {
      clearInterval(sweep);
      clearInterval(pruner);
      for (const t of this.#timers) clearTimeout(t);
      this.#timers.clear();
      return Promise.resolve();
    });
    if (this.#kinds.size === 0) return;
    this.#probe();
    for (const kind of this.#kinds.values()) {
      const signal = new Signal();
      this.#signals.set(kind.kind, signal);
      this.#alone.set(kind.kind, this.#worker(kind, this.options));
      for (let i = 0; i < (kind.loops ?? this.options.workers); i++) {
        this.#loops.push(this.#loop(kind, signal));
      }
    }
  }

  /** Stops taking new messages, lets in-flight batches commit, then releases everything. */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const signal of this.#signals.values()) signal.notify();
    await Promise.all(this.#loops);
    await Promise.allSettled(this.#running);
    this.#loops = [];
    for (const f of this.#cleanup.splice(0)) await f().catch(() => {});
    this.asks.abandon("actor system stopped");
  }

  /** Wakes a loop of `kind`, if hosted here: now, or once a message `delayMs` out is due. */
  #wakeFor(kind: string, delayMs = 0) {
    const signal = this.#signals.get(kind);
    if (!signal) return;
    if (!(delayMs > 0)) return signal.notifyOne();
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      signal.notifyOne();
    }, delayMs);
    this.#timers.add(timer);
  }

  /**
   * Every `pollMs`, one probe for the hosted kinds with deliverable mail (due timers, ended
   * backoffs, missed notifications) wakes a loop of each: idle loops then sleep on their
   * signal, so an idle process sends one query per poll rather than one per loop.
   */
  #probe(): void {
    const kinds = [...this.#kinds.keys()];
    let probing = false;
    const timer = setInterval(async () => {
      if (probing || this.#stopping) return;
      probing = true;
      try {
        for (const kind of await kindsWithDueMail(this.sql, kinds)) this.#wakeFor(kind);
      } catch {
        // The database is away: the loops meet it themselves and back off.
      } finally {
        probing = false;
      }
    }, this.options.pollMs);
    this.#cleanup.push(() => {
      clearInterval(timer);
      return Promise.resolve();
    });
  }

  #worker(kind: ActorKind, options: RuntimeOptions): Worker {
    return new Worker(
      this.sql,
      new Map([[kind.kind, kind]]),
      this.asks,
      options,
      (sent) => sent.forEach((delays, k) => delays.forEach((ms) => this.#wakeFor(k, ms))),
      this.events,
      (k) => this.#atOnce(k),
    );
  }

  /**
   * One drain loop of one kind. Kinds drain separately so that a handler waiting on another
   * service (whose handling needs a loop of its own kind) can never starve it.
   */
  async #loop(kind: ActorKind, signal: Signal): Promise<void> {
    const idleMs = this.options.pollMs * IDLE_LOOP_POLLS;
    const options = { ...this.options, batchActors: kind.batchActors ?? this.options.batchActors };
    const worker = this.#worker(kind, options);
    // Consecutive failed batches (the database away, say): the pause doubles up to 5 s.
    let failures = 0;
    while (!this.#stopping) {
      let lookAgain = false;
      const seen = signal.notified;
      try {
        const batch = await this.#batches.with(() =>
          context.with(context.active(), () => worker.drainOnce())
        );
        if (batch.more) this.#backlogged.add(kind.kind);
        else this.#backlogged.delete(kind.kind);
        failures = 0;
        // A full batch: more may be waiting, so a sibling joins in (each wake-up wakes one).
        if (batch.full) signal.notifyOne();
        // Every send to this kind notifies its signal, so a batch that left nothing behind
        // while nothing was sent meanwhile needs no second, empty, look: the loop sleeps.
        lookAgain = batch.handled > 0 && (batch.more || signal.notified !== seen);
      } catch (e) {
        if (this.#stopping) break;
        if (failures++ === 0) log.error("actor.drain.failed", { error: String(e) });
        await signal.wait(Math.min(this.options.pollMs * 2 ** failures, 5000));
      }
      if (!lookAgain && !this.#stopping) await signal.wait(idleMs);
    }
  }
}
