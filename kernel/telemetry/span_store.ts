/**
 * The span store processor: every finished span is queued in memory and written to
 * `telemetry.span` in batches, so traces work with no Jaeger. The hot path (span start and
 * end) only touches a map and an array; the queue is bounded and a Postgres outage costs the
 * oldest spans, never the application.
 *
 * @module
 */
import { context } from "@opentelemetry/api";
import { suppressTracing } from "@opentelemetry/core";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace";
import postgres from "postgres";
import type { Sql } from "../db/types.ts";
import { log } from "../log.ts";
import { ServiceAttribution } from "./attribution.ts";
import { type FinishedSpan, insertSpans } from "./span_rows.ts";

/** Tuning of a {@link SpanStore}. */
export interface SpanStoreOptions {
  /** Flush at least this often (ms). */
  intervalMs: number;
  /** Flush as soon as this many spans wait; also the rows per insert. */
  batchSize: number;
  /** Spans kept while Postgres is unreachable; past it the oldest are dropped. */
  maxQueue: number;
}

const DEFAULTS: SpanStoreOptions = { intervalMs: 200, batchSize: 500, maxQueue: 20_000 };
// Shutdown waits this long for Postgres at most: a stuck connection must not hold up exit.
const SHUTDOWN_WAIT_MS = 5_000;

/** Counters of a {@link SpanStore}. */
export interface SpanStoreStats {
  queued: number;
  written: number;
  dropped: number;
}

/** A span processor that writes finished spans to `telemetry.span`. */
export class SpanStore implements SpanProcessor {
  readonly #sql: Sql;
  readonly #options: SpanStoreOptions;
  readonly #services: ServiceAttribution;
  readonly #queue: FinishedSpan[] = [];
  #written = 0;
  #dropped = 0;
  #flushing: Promise<void> | undefined;
  #failing = false;
  #timer: ReturnType<typeof setInterval> | undefined;

  /** @param fallbackService The service of spans with no service of their own or of an ancestor. */
  constructor(sql: Sql, fallbackService: string, options: Partial<SpanStoreOptions> = {}) {
    this.#sql = sql;
    this.#options = { ...DEFAULTS, ...options };
    this.#services = new ServiceAttribution(fallbackService);
    // Unref'd: a pending flush tick must not keep the process alive.
    this.#timer = setInterval(() => void this.forceFlush(), this.#options.intervalMs);
    Deno.unrefTimer(this.#timer);
  }

  /** Tracks the span's service for the children it may start. */
  onStart(span: Span): void {
    this.#services.start(span);
  }

  /** Queues the finished span; a full batch triggers a flush. */
  onEnd(span: ReadableSpan): void {
    if (this.#timer === undefined) return;
    this.#queue.push({ span, service: this.#services.end(span) });
    if (this.#queue.length > this.#options.maxQueue) this.#drop(this.#options.batchSize);
    if (this.#queue.length >= this.#options.batchSize && !this.#failing) void this.forceFlush();
  }

  /** Writes every queued span (or stops at the first failure, keeping the rest queued). */
  forceFlush(): Promise<void> {
    // Single flight: concurrent callers share the running flush, which drains the queue.
    this.#flushing ??= context.with(suppressTracing(context.active()), () => this.#drain())
      .finally(() => this.#flushing = undefined);
    return this.#flushing;
  }

  /** Stops the timer, writes what is queued, and reports spans that could not be written. */
  async shutdown(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    let deadline: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.forceFlush(),
      new Promise((resolve) => deadline = setTimeout(resolve, SHUTDOWN_WAIT_MS)),
    ]);
    clearTimeout(deadline);
    this.#drop(this.#queue.length);
    if (this.#dropped > 0) log.warn("telemetry.spans_dropped", { dropped: this.#dropped });
  }

  /** Current counters. */
  stats(): SpanStoreStats {
    return { queued: this.#queue.length, written: this.#written, dropped: this.#dropped };
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#options.batchSize);
      try {
        await insertSpans(this.#sql, batch);
        this.#written += batch.length;
        this.#failing = false;
      } catch (e) {
        this.#failed(batch, e);
        return;
      }
    }
  }

  #failed(batch: FinishedSpan[], error: unknown) {
    if (!this.#failing) log.warn("telemetry.span_store_failed", { error: String(error) });
    this.#failing = true;
    // The server refused these rows: retrying cannot help. Anything else (unreachable,
    // connection lost) is retried on the next tick.
    if (error instanceof postgres.PostgresError) this.#dropped += batch.length;
    else this.#queue.unshift(...batch);
  }

  #drop(count: number) {
    const n = Math.min(count, this.#queue.length);
    this.#queue.splice(0, n);
    this.#dropped += n;
  }
}
