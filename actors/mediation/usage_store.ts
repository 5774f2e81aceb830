/**
 * Reads and the one write of `mediation.usage_event`.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import type { Line, UsageInput, UsageRow } from "./model.ts";

/** Filters of the usage list; all optional and ANDed. */
export interface UsageFilter {
  subscriptionId?: string;
  msisdn?: string;
  eventType?: string;
  since?: Date;
}

/** Inserts accepted usage `id` of `line`. */
export async function insertUsage(
  sql: Sql,
  id: string,
  usage: UsageInput,
  line: Line,
): Promise<UsageRow> {
  const [row] = await sql<UsageRow[]>`
    insert into mediation.usage_event (id, msisdn, subscription_id, event_type, event_time,
      quantity, unit, source, raw_cdr_ref, roaming_indicator)
    values (${id}, ${usage.msisdn}, ${line.id}, ${usage.eventType}, ${usage.eventTime},
      ${usage.quantity}, ${usage.unit}, ${usage.source}, ${usage.rawCdrRef},
      ${usage.roamingIndicator})
    returning *`;
  return row;
}

/** One usage event, or undefined. */
export async function findUsage(sql: Sql, id: string): Promise<UsageRow | undefined> {
  const [row] = await sql<UsageRow[]>`select * from mediation.usage_event where id = ${id}`;
  return row;
}

function usageWhere(sql: Sql, filter: UsageFilter) {
  const eq = (column: string, value: string | undefined) =>
    value === undefined ? [] : [sql`${sql(column)} = ${value}`];
  const conditions = [
    ...eq("subscription_id", filter.subscriptionId),
    ...eq("msisdn", filter.msisdn),
    ...eq("event_type", filter.eventType),
    ...filter.since ? [sql`event_time >= ${filter.since}`] : [],
  ];
  return conditions.reduce((acc, cond) => sql`${acc} and ${cond}`, sql`true`);
}

/** Usage events matching `filter`, newest event time first. */
export async function listUsage(
  sql: Sql,
  filter: UsageFilter & { limit: number; offset?: number },
): Promise<UsageRow[]> {
  return await sql<UsageRow[]>`
    select * from mediation.usage_event where ${usageWhere(sql, filter)}
    order by event_time desc, id desc limit ${filter.limit} offset ${filter.offset ?? 0}`;
}

/** How many usage events match `filter`. */
export async function countUsage(sql: Sql, filter: UsageFilter): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`
    select count(*)::int as n from mediation.usage_event where ${usageWhere(sql, filter)}`;
  return n;
}
