/**
 * Every statement the bridge runs against `bus.*` (and the publish flags of
 * `audit.domain_event`), in one place.
 *
 * @module
 */
import { jsonb, type Sql } from "../../kernel/db/types.ts";
import type { BusEvent, OutboxEvent } from "./types.ts";

/**
 * Locks the oldest `limit` outbox rows nobody else holds (several relays may run), in id
 * order. The locks last until the caller's transaction ends.
 */
export async function lockOutboxBatch(tx: Sql, limit: number): Promise<OutboxEvent[]> {
  const rows = await tx<
    {
      id: number;
      event_id: string;
      event_type: string;
      payload: Record<string, unknown>;
      traceparent: string | null;
    }[]
  >`
    select id, event_id, event_type, payload, traceparent from bus.outbox
    order by id limit ${limit}
    for update skip locked`;
  return rows.map((r) => ({
    outboxId: r.id,
    eventId: r.event_id,
    type: r.event_type,
    payload: r.payload,
    traceparent: r.traceparent ?? undefined,
  }));
}

/** Removes delivered rows from the outbox and flags their audit rows published. */
export async function markDelivered(tx: Sql, outboxIds: number[]): Promise<void> {
  if (outboxIds.length === 0) return;
  await tx`
    with gone as (delete from bus.outbox where id = any(${outboxIds}::bigint[]) returning event_id)
    update audit.domain_event d
    set published_to_mq = true, published_attempts = d.published_attempts + 1
    from gone where d.event_id = gone.event_id`;
}

/** Counts a failed attempt (and its error) on outbox rows that stay for a later pass. */
export async function markFailed(tx: Sql, failures: Map<number, string>): Promise<void> {
  if (failures.size === 0) return;
  await tx`
    with f as (
      select * from unnest(${[...failures.keys()]}::bigint[], ${[...failures.values()]}::text[])
        as f(id, error)
    ), kept as (
      update bus.outbox o set attempts = o.attempts + 1, last_error = f.error
      from f where o.id = f.id
      returning o.event_id, f.error
    )
    update audit.domain_event d
    set published_attempts = d.published_attempts + 1, last_publish_error = kept.error
    from kept where d.event_id = kept.event_id`;
}

/**
 * Claims `(event, consumer)` pairs in the inbox; returns the pairs that were new. A pair
 * already there was delivered before: the caller must not deliver it again.
 */
export async function claimInbox(
  tx: Sql,
  claims: { eventId: string; consumer: string }[],
): Promise<{ eventId: string; consumer: string }[]> {
  const rows = await tx<{ event_id: string; consumer: string }[]>`
    insert into bus.inbox (event_id, consumer)
    select * from unnest(${claims.map((c) => c.eventId)}::uuid[],
      ${claims.map((c) => c.consumer)}::text[])
    on conflict do nothing
    returning event_id, consumer`;
  return rows.map((r) => ({ eventId: r.event_id, consumer: r.consumer }));
}

/** An event a binding could not turn into a message. */
export interface ParkedEvent {
  event: BusEvent;
  queue: string;
  reason: string;
}

/** Records poison events in `bus.parked` (once per event and queue). */
export async function parkEvents(tx: Sql, parked: ParkedEvent[]): Promise<void> {
  if (parked.length === 0) return;
  await tx`
    insert into bus.parked (event_id, queue, event_type, payload, reason)
    select * from unnest(${parked.map((p) => p.event.eventId)}::uuid[],
      ${parked.map((p) => p.queue)}::text[], ${parked.map((p) => p.event.type)}::text[],
      ${jsonb(parked.map((p) => p.event.payload))}::text[]::jsonb[],
      ${parked.map((p) => p.reason)}::text[])
    on conflict do nothing`;
}

/** Registers consumers (queue and topic pattern); a known queue takes the new pattern. */
export async function registerBindings(
  sql: Sql,
  bindings: { queue: string; pattern: string }[],
): Promise<void> {
  if (bindings.length === 0) return;
  await sql`
    insert into bus.binding (queue, pattern)
    select * from unnest(${bindings.map((b) => b.queue)}::text[],
      ${bindings.map((b) => b.pattern)}::text[])
    on conflict (queue) do update set pattern = excluded.pattern, registered_at = now()`;
}

/** The registered consumers, by queue. */
export async function registeredBindings(sql: Sql): Promise<{ queue: string; pattern: string }[]> {
  return await sql<{ queue: string; pattern: string }[]>`
    select queue, pattern from bus.binding order by queue`;
}

/**
 * The registered consumers as one JSON value (`[{ queue, pattern }]`, by queue): a scalar
 * subquery, for a statement to carry the read along with its own result.
 */
export function registeredBindingsValue(sql: Sql) {
  return sql`(select coalesce(json_agg(json_build_object('queue', queue, 'pattern', pattern)
    order by queue), '[]'::json) from bus.binding)`;
}
