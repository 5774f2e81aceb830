/**
 * Trace facts over HTTP, for the `trace.*` tools: the latest trace of an order or a
 * subscription (found through the audit log's trace ids, by index) or a trace by id, read
 * from the span store (or Jaeger, when configured: its failure answers 502 `JAEGER_ERROR`).
 * Mounted beside the audit events (every service but catalog). Per-service figures over a
 * window always come from the span store, which holds every span whether or not Jaeger does.
 *
 * @module
 */
import { z } from "zod";
import { parseDuration } from "../../kernel/clock.ts";
import { NotFound } from "../../kernel/errors.ts";
import { serviceStats } from "../../kernel/telemetry/query.ts";
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

/** One service's spans over a window. */
export const ServiceStats = z.object({
  service: z.string(),
  traces: z.number().int(),
  spans: z.number().int(),
  errors: z.number().int(),
  p50Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
});

/** A window back from now: `<N>s|m|h|d`. */
export const TraceWindow = z.string().trim().refine(
  (w) => (parseDuration(w) ?? 0) > 0,
  "a window like 15m, 1h or 2d",
);

/**
 * `GET /audit-api/v1/trace/services?window=1h`: per service, the traces and spans it took part
 * in over the window, its error spans and the p50/p99 of the requests and messages it handled.
 * The window runs back from the wall clock, as span times do (not the BSS clock).
 */
export const traceServicesRoute = defineRoute({
  method: "GET",
  path: "/audit-api/v1/trace/services",
  summary: "Per service over a window: traces, spans, errors, p50/p99 of what it handled",
  query: z.object({ window: TraceWindow.default("1h") }),
  response: z.array(ServiceStats),
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
    // Before `trace/:traceId`, which would take `services` as an id.
    endpoint(
      traceServicesRoute,
      ({ query }) => serviceStats(sql, new Date(Date.now() - parseDuration(query.window)! * 1000)),
    ),
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
