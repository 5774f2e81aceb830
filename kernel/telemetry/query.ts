/**
 * Reads over the span store for the trace tooling.
 *
 * @module
 */
import type { Sql } from "../db/types.ts";

/** A span as stored in `telemetry.span`. */
export interface StoredSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  service: string;
  /** `SERVER`, `CLIENT`, `CONSUMER`, `PRODUCER` or `INTERNAL`. */
  kind: string;
  /** Millisecond precision (the SDK stamps starts with `Date.now()`); durations are finer. */
  startTime: Date;
  /** Start relative to the trace's first span, in ms. */
  offsetMs: number;
  durationMs: number;
  /** `UNSET`, `OK` or `ERROR`. */
  statusCode: string;
  statusMessage: string | null;
  attributes: Record<string, unknown>;
}

/**
 * The spans of one trace, earliest first (empty if the trace is unknown). Spans that start in
 * the same millisecond come in no particular order: build trees from `parentSpanId`.
 */
export async function spansOfTrace(sql: Sql, traceId: string): Promise<StoredSpan[]> {
  return await sql<StoredSpan[]>`
    select trace_id as "traceId", span_id as "spanId", parent_span_id as "parentSpanId", name,
      service, kind, start_time as "startTime",
      extract(epoch from start_time - min(start_time) over ())::float8 * 1000 as "offsetMs",
      duration_ms as "durationMs", status_code as "statusCode",
      status_message as "statusMessage", attributes
    from telemetry.span where trace_id = ${traceId}
    order by start_time, span_id`;
}

/** The headline numbers of a trace. */
export interface TraceSummary {
  traceId: string;
  spanCount: number;
  serviceCount: number;
  /** Distinct services, sorted. */
  services: string[];
  errorSpanCount: number;
  /** From the first span's start to the last span's end. */
  totalMs: number;
}

/** Summarises the spans of one trace (as returned by {@link spansOfTrace}). */
export function traceSummary(spans: StoredSpan[]): TraceSummary {
  const services = [...new Set(spans.map((s) => s.service))].sort();
  const start = spans.reduce((min, s) => Math.min(min, s.offsetMs), Infinity);
  const end = spans.reduce((max, s) => Math.max(max, s.offsetMs + s.durationMs), -Infinity);
  return {
    traceId: spans[0]?.traceId ?? "",
    spanCount: spans.length,
    serviceCount: services.length,
    services,
    errorSpanCount: spans.filter((s) => s.statusCode === "ERROR").length,
    totalMs: spans.length ? end - start : 0,
  };
}

/** What one service did over a window, from its spans. */
export interface ServiceStats {
  service: string;
  /** Distinct traces the service has a span in. */
  traces: number;
  spans: number;
  /** Spans that ended in error. */
  errors: number;
  /**
   * Median and 99th percentile, in ms to two decimals, of its entry spans (SERVER and
   * CONSUMER: the requests and messages it handled); null when it handled none.
   */
  p50Ms: number | null;
  p99Ms: number | null;
}

/** Per service, by name, the spans that started at `since` or later. */
export async function serviceStats(sql: Sql, since: Date): Promise<ServiceStats[]> {
  return [
    ...await sql<ServiceStats[]>`
    select service, count(distinct trace_id)::int as traces, count(*)::int as spans,
      count(*) filter (where status_code = 'ERROR')::int as errors,
      round((percentile_cont(0.5) within group (order by duration_ms)
        filter (where kind in ('SERVER', 'CONSUMER')))::numeric, 2)::float8 as "p50Ms",
      round((percentile_cont(0.99) within group (order by duration_ms)
        filter (where kind in ('SERVER', 'CONSUMER')))::numeric, 2)::float8 as "p99Ms"
    from telemetry.span where start_time >= ${since}
    group by service order by service`,
  ];
}
