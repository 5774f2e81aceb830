/**
 * Trace facts over HTTP, for the `trace.*` tools: the latest trace of an order or a
 * subscription (found through the audit log's trace ids, by index) or a trace by id, read
 * from the span store. Mounted beside the audit events (every service but catalog).
 *
 * @module
 */
import { z } from "zod";
import { NotFound } from "../../kernel/errors.ts";
import {
  traceForOrder,
  traceForSubscription,
  traceGet,
  type TraceView,
} from "../../kernel/telemetry/traces.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";

/** A trace's headline numbers. */
export const TraceFacts = z.object({
  traceId: z.string(),
  spanCount: z.number().int(),
  serviceCount: z.number().int(),
  services: z.array(z.string()),
  errorSpanCount: z.number().int(),
  totalMs: z.number(),
  orderId: z.string().optional(),
  subscriptionId: z.string().optional(),
});

/** `GET /audit-api/v1/trace/for-order/{orderId}`. */
export const traceForOrderRoute = defineRoute({
  method: "GET",
  path: "/audit-api/v1/trace/for-order/:orderId",
  summary: "The latest trace of an order (404 when no event of it carries a trace id)",
  params: z.object({ orderId: z.string() }),
  response: TraceFacts,
});

/** `GET /audit-api/v1/trace/for-subscription/{subscriptionId}`. */
export const traceForSubscriptionRoute = defineRoute({
  method: "GET",
  path: "/audit-api/v1/trace/for-subscription/:subscriptionId",
  summary: "The latest trace of a subscription",
  params: z.object({ subscriptionId: z.string() }),
  response: TraceFacts,
});

/** `GET /audit-api/v1/trace/{traceId}`. */
export const traceGetRoute = defineRoute({
  method: "GET",
  path: "/audit-api/v1/trace/:traceId",
  summary: "A trace's facts by id (404 when the span store holds none of it)",
  params: z.object({ traceId: z.string().regex(/^[0-9a-f]{32}$/) }),
  response: TraceFacts,
});

function facts(view: TraceView | null, what: string, id: string) {
  if (!view || view.spans.length === 0) throw new NotFound(what, id);
  return view.facts;
}

/** The trace endpoints. */
export function traceEndpoints({ sql }: Pick<Deps, "sql">): Endpoint[] {
  return [
    endpoint(
      traceForOrderRoute,
      async ({ params }) =>
        facts(await traceForOrder(sql, params.orderId), "Trace of order", params.orderId),
    ),
    endpoint(traceForSubscriptionRoute, async ({ params }) =>
      facts(
        await traceForSubscription(sql, params.subscriptionId),
        "Trace of subscription",
        params.subscriptionId,
      )),
    endpoint(
      traceGetRoute,
      async ({ params }) => facts(await traceGet(sql, params.traceId), "Trace", params.traceId),
    ),
  ];
}
