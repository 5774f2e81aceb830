/**
 * The actor system of one process: the kinds it hosts, its drain loops, `tell` and `ask`.
 * Any number of processes may host the same kinds against one database; the mailbox SQL
 * keeps each actor single-writer and FIFO across all of them.
 *
 * @module
 */
import { context, SpanKind, trace } from "@opentelemetry/api";
import { currentCaller } from "../../kernel/context.ts";
import type { Pool, Sql } from "../../kernel/db/types.ts";
import { currentTraceparent } from "../../kernel/events.ts";
import { log } from "../../kernel/log.ts";
import { Asks } from "./asks.ts";
import { Permits } from "./permits.ts";
import { Signal } from "./signal.ts";
import { dueKinds, enqueueMany, parseWake, prune } from "./sql.ts";
import type { ActorKind, Envelope, EventSink, RuntimeOptions, TellOptions } from "./types.ts";
import { messageContext, Worker } from "./worker.ts";

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
};

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
    if (local) this.wake(kind, options.delayMs);
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
          const { replyTo, reply } = this.asks.open(timeout, `${kind}/${key} ${message.type}`);
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
          this.wake(kind, options.delayMs);
          return await reply as T;
        } finally {
          span.end();
        }
      },
    );
  }

  /**
   * Starts the drain loops and the listeners. Loops sleep until woken: by a commit of this
   * process that sent their kind mail, by a `bss_mailbox` notification from elsewhere (put
   * off by the message's delay), or by the tick that looks for due timers, ended backoffs and
   * missed notifications every `pollMs`, once for all hosted kinds.
   */
  async start(): Promise<void> {
    const mailbox = await this.sql.listen("bss_mailbox", (payload) => {
      const { kind, origin, delayMs } = parseWake(payload);
      if (origin === this.asks.processId) return;
      if (kind === "") { for (const signal of this.#signals.values()) signal.notifyAll(); }
      else this.wake(kind, delayMs);
    });
    const replies = await this.sql.listen(
      "bss_reply",
      (id) => void this.asks.collect(this.sql, [id]),
      () => this.asks.collect(this.sql),
    );
    this.#cleanup.push(() => mailbox.unlisten(), () => replies.unlisten());
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
    for (const kind of this.#kinds.values()) {
      const signal = new Signal();
      this.#signals.set(kind.kind, signal);
      for (let i = 0; i < (kind.loops ?? this.options.workers); i++) {
        this.#loops.push(this.#loop(kind, signal));
      }
    }
    this.#loops.push(this.#tick());
  }

  /** Stops taking new messages, lets in-flight batches commit, then releases everything. */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const signal of this.#signals.values()) signal.notifyAll();
    this.#tickSignal.notifyAll();
    await Promise.all(this.#loops);
    this.#loops = [];
    for (const f of this.#cleanup.splice(0)) await f().catch(() => {});
    this.asks.abandon("actor system stopped");
  }

  /** Wakes a drain loop of `kind`, if hosted here, now or when a message `delayMs` out is due. */
  wake(kind: string, delayMs = 0): void {
    const signal = this.#signals.get(kind);
    if (!signal) return;
    if (delayMs <= 0) return signal.notify();
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      signal.notify();
    }, delayMs);
    this.#timers.add(timer);
  }

  #tickSignal = new Signal();

  /** Every `pollMs`: wakes the hosted kinds that have deliverable mail nobody woke them for. */
  async #tick(): Promise<void> {
    const kinds = [...this.#kinds.keys()];
    while (!this.#stopping) {
      await this.#tickSignal.wait(this.options.pollMs);
      if (this.#stopping) break;
      try {
        for (const kind of await dueKinds(this.sql, kinds)) this.wake(kind);
      } catch (e) {
        log.warn("actor.tick.failed", { error: String(e) });
      }
    }
  }

  /**
   * One drain loop of one kind. Kinds drain separately so that a handler waiting on another
   * service (whose handling needs a loop of its own kind) can never starve it.
   */
  async #loop(kind: ActorKind, signal: Signal): Promise<void> {
    const options = { ...this.options, batchActors: kind.batchActors ?? this.options.batchActors };
    const worker = new Worker(
      this.sql,
      new Map([[kind.kind, kind]]),
      this.asks,
      options,
      (sent) => sent.forEach((delayMs, k) => this.wake(k, delayMs)),
      this.events,
    );
    // Consecutive failed batches (the database away, say): the pause doubles up to 5 s.
    let failures = 0;
    while (!this.#stopping) {
      let drained = { handled: 0, full: false };
      try {
        drained = await this.#batches.with(() =>
          context.with(context.active(), () => worker.drainOnce())
        );
        failures = 0;
      } catch (e) {
        if (this.#stopping) break;
        if (failures++ === 0) log.error("actor.drain.failed", { error: String(e) });
        await signal.wait(Math.min(this.options.pollMs * 2 ** failures, 5000));
      }
      // A full batch means more is waiting: a sleeping loop of the kind joins in.
      if (drained.full) signal.notify();
      // The tick wakes the kind when mail is due; the long wait is only a safety net.
      if (drained.handled === 0 && !this.#stopping) await signal.wait(IDLE_MS);
    }
  }
}

/** A sleeping loop's longest sleep when nothing wakes it (the tick normally does). */
const IDLE_MS = 30_000;
