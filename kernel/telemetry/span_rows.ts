/**
 * Writes finished spans to `telemetry.span`: one multi-row insert per batch.
 *
 * @module
 */
import { type HrTime, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { jsonb, type Sql } from "../db/types.ts";

/** A finished span and the service it was attributed to. */
export interface FinishedSpan {
  span: ReadableSpan;
  service: string;
}

/** Inserts `spans` in one statement; spans already stored (same ids) are skipped. */
export async function insertSpans(sql: Sql, spans: FinishedSpan[]): Promise<void> {
  if (spans.length === 0) return;
  const col = <T>(f: (s: ReadableSpan) => T) => spans.map(({ span }) => f(span));
  await sql`
    insert into telemetry.span (trace_id, span_id, parent_span_id, name, service, kind,
      start_time, duration_ms, status_code, status_message, attributes)
    select * from unnest(
      ${col((s) => s.spanContext().traceId)}::text[],
      ${col((s) => s.spanContext().spanId)}::text[],
      ${col((s) => s.parentSpanContext?.spanId ?? null)}::text[],
      ${col((s) => s.name)}::text[],
      ${spans.map((s) => s.service)}::text[],
      ${col((s) => SpanKind[s.kind])}::text[],
      ${col((s) => isoMicros(s.startTime))}::timestamptz[],
      ${col((s) => s.duration[0] * 1e3 + s.duration[1] / 1e6)}::float8[],
      ${col((s) => SpanStatusCode[s.status.code])}::text[],
      ${col((s) => s.status.message ?? null)}::text[],
      ${jsonb(col((s) => s.attributes))}::text[]::jsonb[])
    on conflict do nothing`;
}

// Date#toISOString stops at milliseconds; an HrTime may carry less (an explicit start time).
function isoMicros([seconds, nanos]: HrTime): string {
  const micros = String(Math.floor(nanos / 1000)).padStart(6, "0");
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${micros}Z`;
}
