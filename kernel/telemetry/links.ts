/**
 * Background work in a trace of its own, linked to the trace that armed it (README, issue 9
 * in "Status"): a BSS-clock timer, the stuck-order sweep, the renewal tick and the reservation
 * sweep each start a root span whose link — and, because the span store keeps attributes but
 * not links, whose `bss.armed_by` attribute (`<traceId>-<spanId>`) — names the arming span.
 *
 * @module
 */
import {
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  trace,
} from "@opentelemetry/api";

const tracer = trace.getTracer("bss.background");

/** The span link to the span of `traceparent` (none when it is absent or malformed). */
export function armedByLinks(traceparent: string | null | undefined): Link[] {
  if (!traceparent) return [];
  const armed = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, { traceparent }));
  return armed && trace.isSpanContextValid(armed)
    ? [{ context: armed, attributes: { "bss.link": "armed_by" } }]
    : [];
}

/** The attribute naming a span's arming span, for stores that keep no links. */
export function armedByAttribute(links: Link[]): Record<string, string> {
  const armed = links[0]?.context;
  return armed ? { "bss.armed_by": `${armed.traceId}-${armed.spanId}` } : {};
}

/**
 * Runs `fn` in a new root span `name` linked to `armedBy` (a traceparent stored with the row
 * the work is about), as the active span; the span ends, marked failed on a throw, with `fn`.
 */
export function inLinkedTrace<T>(
  name: string,
  armedBy: string | null | undefined,
  attributes: Record<string, string | number>,
  fn: () => Promise<T>,
): Promise<T> {
  const links = armedByLinks(armedBy);
  return tracer.startActiveSpan(
    name,
    { kind: SpanKind.INTERNAL, links, attributes: { ...armedByAttribute(links), ...attributes } },
    ROOT_CONTEXT,
    async (span: Span) => {
      try {
        return await fn();
      } catch (e) {
        span.recordException(e instanceof Error ? e : String(e));
        span.setStatus({ code: 2, message: String(e) });
        throw e;
      } finally {
        span.end();
      }
    },
  );
}
