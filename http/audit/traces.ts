/**
 * Trace facts over HTTP, for the `trace.*` tools: the latest trace of an order or a
 * subscription (found through the audit log's trace ids, by index) or a trace by id, read
 * from the span store (or Jaeger, when configured: its failure answers 502 `JAEGER_ERROR`).
 * Mounted beside the audit events (every service but catalog).
 *
 * @module
 */
import { z } from "zod";
import { NotFound } from "../../kernel/errors.ts";
import { JaegerError } from "../../kernel/telemetry/jaeger.ts";
import {
  spanSource,
  traceForOrder,
  traceForSubscription,
  traceGet,
  type TraceView,
} from "../../kernel/telemetry/traces.ts";
import type { Deps } from "../env.ts";
import { HttpError } from "../errors.ts";
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

async function facts(lookup: Promise<TraceView | null>, what: string, id: string) {
  let view;
  try {
    view = await lookup;
  } catch (e) {
    if (!(e instanceof JaegerError)) throw e;
    throw new HttpError(502, { code: "JAEGER_ERROR", message: e.message });
  }
  if (!view || view.spans.length === 0) throw new NotFound(what, id);
  return view.facts;
}

/** The trace endpoints. */
export function traceEndpoints({ config, sql }: Pick<Deps, "config" | "sql">): Endpoint[] {
  const spans = spanSource(config, sql);
  return [
    endpoint(
      traceForOrderRoute,
      ({ params }) =>
        facts(traceForOrder(sql, spans, params.orderId), "Trace of order", params.orderId),
    ),
    endpoint(traceForSubscriptionRoute, ({ params }) =>
      facts(
        traceForSubscription(sql, spans, params.subscriptionId),
        "Trace of subscription",
        params.subscriptionId,
      )),
    endpoint(
      traceGetRoute,
      ({ params }) => facts(traceGet(spans, params.traceId), "Trace", params.traceId),
    ),
  ];
}
