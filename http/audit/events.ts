/**
 * The audit log over HTTP (docs/http.md §10): `GET /audit-api/v1/events`, ANDed filters, oldest
 * first. The table is shared, so every service that mounts it shows every service's events.
 *
 * @module
 */
import { z } from "zod";
import { wholeNumber } from "../paging.ts";
import type { Deps } from "../env.ts";
import { HttpError } from "../errors.ts";
import { parseInstant } from "../instant.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";

/** One audit event as the route replies it. */
export const AuditEvent = z.object({
  eventId: z.uuid(),
  eventType: z.string(),
  aggregateType: z.string(),
  aggregateId: z.string(),
  occurredAt: z.iso.datetime({ offset: true }),
  /** 32-hex OTel trace id, or null when the write was not traced. */
  traceId: z.string().nullable(),
  actor: z.string(),
  channel: z.string(),
  tenantId: z.string(),
  serviceIdentity: z.string(),
  payload: z.record(z.string(), z.unknown()),
  schemaVersion: z.number().int(),
  publishedToMq: z.boolean(),
});

/** `GET /audit-api/v1/events`. */
export const auditEvents = defineRoute({
  method: "GET",
  path: "/audit-api/v1/events",
  summary: "Domain events, oldest first; 422 INVALID_TIMESTAMP on a bad bound",
  query: z.object({
    aggregateType: z.string().optional(),
    aggregateId: z.string().optional(),
    eventType: z.string().optional(),
    eventTypePrefix: z.string().optional(),
    occurredSince: z.string().optional(),
    occurredUntil: z.string().optional(),
    /** One identity, or several separated by commas. */
    serviceIdentity: z.string().optional(),
    limit: wholeNumber().min(1).max(1000).default(100),
  }),
  response: z.object({ events: z.array(AuditEvent), count: z.number().int() }),
});

function instant(name: string, text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const at = parseInstant(text);
  if (!at) {
    const message = `${name} is not an ISO-8601 instant: ${text}`;
    throw new HttpError(422, { code: "INVALID_TIMESTAMP", message });
  }
  return at;
}

/** The audit endpoints. */
export function auditEndpoints({ sql }: Pick<Deps, "sql">): Endpoint[] {
  return [endpoint(auditEvents, async ({ query: q }) => {
    const since = instant("occurredSince", q.occurredSince);
    const until = instant("occurredUntil", q.occurredUntil);
    const eq = (column: string, value: string | undefined) =>
      value === undefined ? [] : [sql`${sql(column)} = ${value}`];
    const conditions = [
      ...eq("aggregate_type", q.aggregateType),
      ...eq("aggregate_id", q.aggregateId),
      ...eq("event_type", q.eventType),
      ...q.serviceIdentity === undefined
        ? []
        : [sql`service_identity = any(${q.serviceIdentity.split(",").map((s) => s.trim())})`],
      ...q.eventTypePrefix === undefined
        ? []
        : [sql`starts_with(event_type, ${q.eventTypePrefix})`],
      ...since ? [sql`occurred_at >= ${since}`] : [],
      ...until ? [sql`occurred_at <= ${until}`] : [],
    ];
    const where = conditions.reduce((acc, cond) => sql`${acc} and ${cond}`, sql`true`);
    const rows = await sql`
      select event_id, event_type, aggregate_type, aggregate_id, occurred_at, trace_id, actor,
        channel, tenant_id, service_identity, payload, schema_version, published_to_mq
      from audit.domain_event where ${where}
      order by occurred_at, id limit ${q.limit}`;
    const events = rows.map((r) => ({
      eventId: r.event_id,
      eventType: r.event_type,
      aggregateType: r.aggregate_type,
      aggregateId: r.aggregate_id,
      occurredAt: (r.occurred_at as Date).toISOString(),
      traceId: r.trace_id,
      actor: r.actor,
      channel: r.channel,
      tenantId: r.tenant_id,
      serviceIdentity: r.service_identity,
      payload: r.payload,
      schemaVersion: r.schema_version,
      publishedToMq: r.published_to_mq,
    }));
    return { events, count: events.length };
  })];
}
