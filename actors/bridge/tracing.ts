/**
 * The bridge's spans. Each hop's span is a child of the trace context the event carries
 * (the outbox row's `traceparent`, or the AMQP headers), and the context of that span is
 * what travels on: into the AMQP headers on publish, into the mailbox row on delivery. So
 * one trace runs from the producing handler through the broker into the consuming actor.
 *
 * @module
 */
import {
  type Attributes,
  type Context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  type SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";

const tracer = trace.getTracer("bss.bridge");

/** A started span and the context in which it is active. */
export interface HopSpan {
  span: Span;
  context: Context;
}

/**
 * Starts a span whose parent is the W3C trace context in `carrier` (AMQP headers, or
 * `{ traceparent }`); without one the span starts a new trace.
 */
export function startHop(
  name: string,
  kind: SpanKind,
  carrier: Record<string, unknown>,
  attributes: Attributes,
): HopSpan {
  const parent = propagation.extract(ROOT_CONTEXT, carrier);
  // Bridge hops are their own swimlane column, whichever process relays or consumes.
  const span = tracer.startSpan(
    name,
    { kind, attributes: { "bss.service": "bus", ...attributes } },
    parent,
  );
  return { span, context: trace.setSpan(parent, span) };
}

/** The W3C trace headers (`traceparent`, maybe `tracestate`) of a context. */
export function traceHeaders(ctx: Context): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** Ends a span, marking it failed when `error` is given. */
export function endHop(span: Span, error?: string): void {
  if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
  span.end();
}
