/**
 * OTLP/HTTP export (JSON) to a collector such as Jaeger, batched off the hot path.
 *
 * @module
 */
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { BatchSpanProcessor, type SpanProcessor } from "@opentelemetry/sdk-trace";

/** The traces URL of an OTLP endpoint: `/v1/traces` is appended when the URL has no path. */
export function tracesUrl(endpoint: string): string {
  const url = new URL(endpoint);
  if (url.pathname === "/") url.pathname = "/v1/traces";
  return url.href;
}

/** A batch span processor exporting to the OTLP/HTTP `endpoint`. */
export function otlpProcessor(endpoint: string): SpanProcessor {
  return new BatchSpanProcessor({
    exporter: new OTLPTraceExporter({ url: tracesUrl(endpoint) }),
    scheduledDelayMillis: 1_000,
  });
}
