/**
 * HTTP spans for the HTTP layer: a CLIENT span around outbound calls (with the traceparent
 * injected) and a SERVER span around inbound requests (continuing the caller's trace).
 * Depends on @opentelemetry/api only: without a registered provider both are no-ops.
 *
 * @module
 */
import {
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapSetter,
  trace,
} from "@opentelemetry/api";

import { maskUrlPans } from "../pan.ts";

const tracer = trace.getTracer("bss.http");

const headerSetter: TextMapSetter<Headers> = { set: (h, key, value) => h.set(key, value) };
const headerGetter: TextMapGetter<Headers> = {
  get: (h, key) => h.get(key) ?? undefined,
  keys: (h) => [...h.keys()],
};

/** Options of {@link tracedFetch}. */
export interface TracedFetchOptions {
  /** The calling service (the span's `bss.service`). */
  service: string;
  /** Sends the request (default: `fetch`); e.g. straight to an app served by this process. */
  send?: (request: Request) => Promise<Response>;
}

/**
 * `fetch` inside a CLIENT span `HTTP <METHOD>` whose context travels in the request's
 * `traceparent` header. The span is an error on a network failure or a status ≥ 500.
 */
export function tracedFetch(
  input: string | URL | Request,
  init: RequestInit | undefined,
  { service, send = fetch }: TracedFetchOptions,
): Promise<Response> {
  const request = new Request(input, init);
  const url = new URL(request.url);
  return tracer.startActiveSpan(`HTTP ${request.method}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      "http.method": request.method,
      // Without the query string (it may carry tokens), card numbers in the path masked.
      "http.url": maskUrlPans(`${url.origin}${url.pathname}`),
      "server.address": url.hostname,
      "bss.service": service,
    },
  }, (span) => {
    propagation.inject(context.active(), request.headers, headerSetter);
    return settle(span, () => send(request));
  });
}

/**
 * Runs `fn` inside a SERVER span `<METHOD> <route>` that continues the trace of the request's
 * `traceparent` header (or starts one) and is the active span while `fn` runs. The span ends
 * when the response head is ready: a streamed body (SSE) is not timed.
 */
export function withServerSpan(
  request: Request,
  service: string,
  route: string,
  fn: () => Promise<Response>,
): Promise<Response> {
  // An inbound request starts from its own headers, not from whatever context serves it.
  const parent = propagation.extract(ROOT_CONTEXT, request.headers, headerGetter);
  return tracer.startActiveSpan(
    `${request.method} ${route}`,
    {
      kind: SpanKind.SERVER,
      attributes: { "http.method": request.method, "http.route": route, "bss.service": service },
    },
    parent,
    (span) => settle(span, fn),
  );
}

/** Ends `span` with the outcome of `call`: its status code, or the error it threw. */
async function settle(span: Span, call: () => Promise<Response>): Promise<Response> {
  try {
    const response = await call();
    span.setAttribute("http.status_code", response.status);
    if (response.status >= 500) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${response.status}` });
    }
    return response;
  } catch (e) {
    span.recordException(e instanceof Error ? e : String(e));
    span.setStatus({ code: SpanStatusCode.ERROR, message: String(e) });
    throw e;
  } finally {
    span.end();
  }
}
