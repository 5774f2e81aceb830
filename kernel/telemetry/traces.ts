/**
 * Trace look-ups for the swimlane and the `trace.*` tools: by trace id, or the latest trace
 * recorded on an order's or a subscription's domain events.
 *
 * @module
 */
import type { Sql } from "../db/types.ts";
import { spansOfTrace, type StoredSpan, type TraceSummary, traceSummary } from "./query.ts";

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

/** The trace `traceId`; its span list is empty when the store holds none of it. */
export async function traceGet(sql: Sql, traceId: string): Promise<TraceView> {
  const spans = await spansOfTrace(sql, traceId);
  return { facts: { ...traceSummary(spans), traceId }, spans };
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
export async function traceForOrder(sql: Sql, orderId: string): Promise<TraceView | null> {
  const traceId = await latestTraceId(sql, "ProductOrder", orderId);
  if (!traceId) return null;
  const view = await traceGet(sql, traceId);
  return { ...view, facts: { ...view.facts, orderId } };
}

/** The latest trace recorded on the subscription's events, or null if none carries one. */
export async function traceForSubscription(
  sql: Sql,
  subscriptionId: string,
): Promise<TraceView | null> {
  const traceId = await latestTraceId(sql, "subscription", subscriptionId);
  if (!traceId) return null;
  const view = await traceGet(sql, traceId);
  return { ...view, facts: { ...view.facts, subscriptionId } };
}
