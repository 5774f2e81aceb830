/**
 * Trace look-ups for the swimlane and the `trace.*` tools: by trace id, or the latest trace
 * recorded on an order's or a subscription's domain events. Trace ids always come from the
 * audit log; spans from the Postgres span store, or from Jaeger's query API when
 * `BSS_JAEGER_QUERY_URL` is set.
 *
 * @module
 */
import type { Config } from "../config.ts";
import type { Sql } from "../db/types.ts";
import { jaegerSpans } from "./jaeger.ts";
import { spansOfTrace, type StoredSpan, type TraceSummary, traceSummary } from "./query.ts";

/** Where the spans of a trace are read, earliest first (empty when unknown). */
export type SpanSource = (traceId: string) => Promise<StoredSpan[]>;

/** The span source `config` names: Jaeger's query API if set, else the span store. */
export function spanSource(config: Pick<Config, "BSS_JAEGER_QUERY_URL">, sql: Sql): SpanSource {
  const jaeger = config.BSS_JAEGER_QUERY_URL;
  return jaeger ? (id) => jaegerSpans(jaeger, id) : (id) => spansOfTrace(sql, id);
}

/** A trace's headline numbers as the `trace.*` tools return them. */
export interface TraceFacts extends TraceSummary {
  /** The order the trace was found through (`trace.for_order`). */
  orderId?: string;
  /** The subscription the trace was found through (`trace.for_subscription`). */
  subscriptionId?: string;
}

/** A trace: its facts and its spans (earliest first) for rendering. */
export interface TraceView {
  facts: TraceFacts;
  spans: StoredSpan[];
}

/** The trace `traceId`; its span list is empty when the source holds none of it. */
export async function traceGet(spans: SpanSource, traceId: string): Promise<TraceView> {
  const found = await spans(traceId);
  return { facts: { ...traceSummary(found), traceId }, spans: found };
}

/**
 * The trace id of the latest event of an aggregate that carries one, or null. Walks the
 * `(aggregate_type, aggregate_id, occurred_at)` index backwards: no scan of the event log.
 */
export async function latestTraceId(
  sql: Sql,
  aggregateType: string,
  aggregateId: string,
): Promise<string | null> {
  const [row] = await sql<{ traceId: string }[]>`
    select trace_id as "traceId" from audit.domain_event
    where aggregate_type = ${aggregateType} and aggregate_id = ${aggregateId}
      and trace_id is not null
    order by occurred_at desc, id desc
    limit 1`;
  return row?.traceId ?? null;
}

/** The latest trace recorded on the order's events, or null if none carries a trace id. */
export async function traceForOrder(
  sql: Sql,
  spans: SpanSource,
  orderId: string,
): Promise<TraceView | null> {
  const traceId = await latestTraceId(sql, "ProductOrder", orderId);
  if (!traceId) return null;
  const view = await traceGet(spans, traceId);
  return { ...view, facts: { ...view.facts, orderId } };
}

/** The latest trace recorded on the subscription's events, or null if none carries one. */
export async function traceForSubscription(
  sql: Sql,
  spans: SpanSource,
  subscriptionId: string,
): Promise<TraceView | null> {
  const traceId = await latestTraceId(sql, "subscription", subscriptionId);
  if (!traceId) return null;
  const view = await traceGet(spans, traceId);
  return { ...view, facts: { ...view.facts, subscriptionId } };
}

/** The latest agent turn's trace (its root span is `bss.ask`), or null when none is stored. */
export async function traceForAsk(sql: Sql, spans: SpanSource): Promise<TraceView | null> {
  const [row] = await sql<{ traceId: string }[]>`
    select trace_id as "traceId" from telemetry.span
    where name = 'bss.ask' order by start_time desc limit 1`;
  return row ? await traceGet(spans, row.traceId) : null;
}
