/**
 * TMF635 usage (docs/http.md §9.3): record a usage event (block-at-edge: every rule runs before
 * anything is written), read one, list them newest first.
 *
 * @module
 */
import { z } from "zod";
import type { SubscriptionByMsisdn, UsageRow } from "../../actors/mediation/model.ts";
import { recordUsage } from "../../actors/mediation/record_usage.ts";
import {
  countUsage,
  findUsage,
  listUsage,
  type UsageFilter,
} from "../../actors/mediation/usage_store.ts";
import { NotFound } from "../../kernel/errors.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { NewUsage, TMF635, Usage, UsageQuery } from "./schemas.ts";

const USAGE = `${TMF635}/usage`;

/** `POST /usage`. */
export const recordUsageRoute = defineRoute({
  method: "POST",
  path: USAGE,
  summary: "Record a usage event for an active line (422 usage.record.* otherwise, no row)",
  body: NewUsage,
  response: Usage,
  tmf: "Usage",
  status: 201,
});

/** `GET /usage/{id}`. */
export const getUsage = defineRoute({
  method: "GET",
  path: `${USAGE}/:id`,
  summary: "One usage event",
  params: z.object({ id: z.string() }),
  response: Usage,
  tmf: "Usage",
});

/** `GET /usage`. */
export const listUsageRoute = defineRoute({
  method: "GET",
  path: USAGE,
  summary: "Usage events by subscription, MSISDN, type and since, newest event first",
  query: UsageQuery,
  response: z.array(Usage),
  tmf: "Usage",
});

/** The wire form of a stored usage event. */
export function toUsage(row: UsageRow): z.input<typeof Usage> {
  return {
    "@type": "Usage",
    id: row.id,
    href: `${USAGE}/${row.id}`,
    usageDate: row.event_time.toISOString(),
    usageType: row.event_type,
    status: row.processed ? "rated" : "received",
    usageCharacteristic: [
      { name: "quantity", valueType: "integer", value: Number(row.quantity) },
      { name: "unit", valueType: "string", value: row.unit },
      { name: "msisdn", valueType: "string", value: row.msisdn },
      { name: "roamingIndicator", valueType: "boolean", value: row.roaming_indicator },
    ],
    msisdn: row.msisdn,
    subscriptionId: row.subscription_id,
    eventType: row.event_type,
    eventTime: row.event_time.toISOString(),
    quantity: Number(row.quantity),
    unit: row.unit,
    source: row.source,
    rawCdrRef: row.raw_cdr_ref,
    processed: row.processed,
    processingError: row.processing_error,
    roamingIndicator: row.roaming_indicator,
  };
}

/** The store's filter of a `GET /usage` query (TMF's `type` is our event type). */
function usageFilter(q: z.output<typeof UsageQuery>): UsageFilter {
  return { subscriptionId: q.subscriptionId, msisdn: q.msisdn, eventType: q.type, since: q.since };
}

/** The usage endpoints; `subscriptionByMsisdn` answers for the subscription service. */
export function usageEndpoints(
  { sql }: Pick<Deps, "sql">,
  subscriptionByMsisdn: SubscriptionByMsisdn,
): Endpoint[] {
  return [
    endpoint(recordUsageRoute, async ({ body }, c) => {
      const row = await recordUsage(sql, {
        ...body,
        source: body.source ?? null,
        rawCdrRef: body.rawCdrRef ?? null,
      }, subscriptionByMsisdn);
      const usage = toUsage(row);
      c.header("Location", usage.href);
      return usage;
    }),
    endpoint(getUsage, async ({ params: { id } }) => {
      const row = await findUsage(sql, id);
      if (!row) throw new NotFound("Usage", id);
      return toUsage(row);
    }),
    endpoint(
      listUsageRoute,
      async ({ query: q }) =>
        (await listUsage(sql, { ...usageFilter(q), limit: q.limit, offset: q.offset })).map(
          toUsage,
        ),
      ({ query }) => countUsage(sql, usageFilter(query)),
    ),
  ];
}
