/**
 * Trace look-ups for the swimlane and the `trace.*` tools: by trace id, an order's placement
 * trace or a subscription's latest, each with the aggregate's other traces. Trace ids always come from the
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

/** Another trace recorded on the same aggregate: where it starts in the event log. */
export interface OtherTrace {
  traceId: string;
  /** The first event of the aggregate recorded in it. */
  eventType: string;
  occurredAt: Date;
}

/** A trace: its facts and its spans (earliest first) for rendering. */
export interface TraceView {
  facts: TraceFacts;
  spans: StoredSpan[];
  /** The aggregate's other traces, in the order they began (`trace for-order`). */
  others?: OtherTrace[];
}

/** The trace `traceId`; its span list is empty when the source holds none of it. */
export async function traceGet(spans: SpanSource, traceId: string): Promise<TraceView> {
  const found = await spans(traceId);
  return { facts: { ...traceSummary(found), traceId }, spans: found };
}

/** Each trace recorded on an aggregate's events, with its first event, in order. */
async function tracesOf(sql: Sql, aggregateType: string, aggregateId: string) {
  return await sql<OtherTrace[]>`
    select distinct on (trace_id) trace_id as "traceId", event_type as "eventType",
      occurred_at as "occurredAt"
    from audit.domain_event
    where aggregate_type = ${aggregateType} and aggregate_id = ${aggregateId}
      and trace_id is not null
    order by trace_id, occurred_at, id`;
}

/**
 * The order's placement trace — the one it was submitted in, which carries it through
 * decomposition and provisioning to completion (the creation call before it is a trace of its
 * own) — and the order's other traces (creation, a resolve, a cancel) beside it. Null when no
 * event of the order carries a trace id (the order does not exist, or was never traced).
 */
export async function traceForOrder(
  sql: Sql,
  spans: SpanSource,
  orderId: string,
): Promise<TraceView | null> {
  const traces = (await tracesOf(sql, "ProductOrder", orderId))
    .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const placement = traces.find((t) => t.eventType === "order.in_progress") ?? traces[0];
  if (!placement) return null;
  const view = await traceGet(spans, placement.traceId);
  const others = traces.filter((t) => t !== placement);
  return { ...view, facts: { ...view.facts, orderId }, others };
}

/**
 * The latest trace recorded on the subscription's events (its last renewal, change or
 * activation), with its other traces beside it; null if none carries a trace id.
 */
export async function traceForSubscription(
  sql: Sql,
  spans: SpanSource,
  subscriptionId: string,
): Promise<TraceView | null> {
  const traces = (await tracesOf(sql, "subscription", subscriptionId))
    .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const latest = traces.at(-1);
  if (!latest) return null;
  const view = await traceGet(spans, latest.traceId);
  const others = traces.filter((t) => t !== latest);
  return { ...view, facts: { ...view.facts, subscriptionId }, others };
}

/** The latest agent turn's trace (its root span is `bss.ask`), or null when none is stored. */
export async function traceForAsk(sql: Sql, spans: SpanSource): Promise<TraceView | null> {
  const [row] = await sql<{ traceId: string }[]>`
    select trace_id as "traceId" from telemetry.span
    where name = 'bss.ask' order by start_time desc limit 1`;
  return row ? await traceGet(spans, row.traceId) : null;
}
