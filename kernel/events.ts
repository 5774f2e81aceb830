/**
 * Domain events: staged as an `audit.domain_event` row and a `bus.outbox` row in the same
 * transaction as the change they record. The relay (actors/bridge) delivers the outbox.
 *
 * @module
 */
import { context, propagation, trace } from "@opentelemetry/api";
import { clock } from "./clock.ts";
import { type CallerContext, currentCaller } from "./context.ts";
import { jsonb, type Sql } from "./db/types.ts";
import { maskFreeText } from "./pan.ts";

/** What a handler or service function emits. */
export interface DomainEvent {
  /** The routing key, e.g. `order.completed`. */
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
}

/** An event with its identity, time, attribution and trace, ready to write. */
export interface StagedEvent extends DomainEvent {
  eventId: string;
  occurredAt: Date;
  traceId: string | null;
  traceparent: string | null;
  caller: CallerContext;
}

/** The W3C traceparent of the active span, or null. */
export function currentTraceparent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/** Stamps an event with a fresh id, the BSS time, the caller and the active trace. */
export function stageEvent(
  event: DomainEvent,
  caller: CallerContext = currentCaller(),
): StagedEvent {
  const span = trace.getActiveSpan()?.spanContext();
  return {
    ...event,
    eventId: crypto.randomUUID(),
    occurredAt: clock.now(),
    traceId: span && trace.isSpanContextValid(span) ? span.traceId : null,
    traceparent: currentTraceparent(),
    caller,
  };
}

/**
 * Writes staged events to the audit log and the outbox (one statement, any count). With
 * `delivered`, the caller has delivered them in the same transaction: audit rows only,
 * already flagged published (the actor runtime's brokerless path, `actors/bridge/inline.ts`).
 */
export async function writeEvents(
  sql: Sql,
  events: StagedEvent[],
  { delivered = false } = {},
): Promise<void> {
  if (events.length === 0) return;
  const col = <T>(f: (e: StagedEvent) => T) => events.map(f);
  const ids = col((e) => e.eventId);
  const types = col((e) => e.type);
  // The PAN guard at the event boundary too: free text from any path, not only HTTP's edge.
  const payloads = jsonb(col((e) => maskFreeText(e.payload)));
  const audit = sql`
      insert into audit.domain_event (event_id, event_type, aggregate_type, aggregate_id,
        occurred_at, trace_id, actor, channel, tenant_id, service_identity, payload,
        published_to_mq, published_attempts)
      select *, ${delivered}, ${delivered ? 1 : 0} from unnest(${ids}::uuid[], ${types}::text[],
        ${col((e) => e.aggregateType)}::text[], ${col((e) => e.aggregateId)}::text[],
        ${col((e) => e.occurredAt.toISOString())}::timestamptz[],
        ${col((e) => e.traceId)}::text[], ${col((e) => e.caller.actor)}::text[],
        ${col((e) => e.caller.channel)}::text[], ${col((e) => e.caller.tenant)}::text[],
        ${col((e) => e.caller.serviceIdentity)}::text[], ${payloads}::text[]::jsonb[])`;
  if (delivered) return void await audit;
  // One statement (one round trip, and atomic outside a transaction too).
  await sql`
    with audited as (${audit})
    insert into bus.outbox (event_id, event_type, payload, traceparent)
    select * from unnest(${ids}::uuid[], ${types}::text[], ${payloads}::text[]::jsonb[],
      ${col((e) => e.traceparent)}::text[])`;
}

/** Stages and writes events in one go, attributed to the current caller. */
export async function emit(sql: Sql, ...events: DomainEvent[]): Promise<StagedEvent[]> {
  const staged = events.map((e) => stageEvent(e));
  await writeEvents(sql, staged);
  return staged;
}
