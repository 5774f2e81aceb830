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
  limit: number;
  offset?: number;
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

/** Usage events matching `filter`, newest event time first. */
export async function listUsage(sql: Sql, filter: UsageFilter): Promise<UsageRow[]> {
  const eq = (column: string, value: string | undefined) =>
    value === undefined ? [] : [sql`${sql(column)} = ${value}`];
  const conditions = [
    ...eq("subscription_id", filter.subscriptionId),
    ...eq("msisdn", filter.msisdn),
    ...eq("event_type", filter.eventType),
    ...filter.since ? [sql`event_time >= ${filter.since}`] : [],
  ];
  const where = conditions.reduce((acc, cond) => sql`${acc} and ${cond}`, sql`true`);
  return await sql<UsageRow[]>`
    select * from mediation.usage_event where ${where}
    order by event_time desc, id desc limit ${filter.limit} offset ${filter.offset ?? 0}`;
}
