/**
 * Spans from Jaeger's query API (`GET {base}/api/traces/{traceId}`), for when traces are
 * exported over OTLP to a Jaeger rather than read from the span store. The reply's
 * `data[0]` holds `spans` (µs `startTime` and `duration`, `references` with the `CHILD_OF`
 * parent, `tags`, a `processID`) and `processes` (`serviceName`); a trace Jaeger does not
 * know answers 404. Spans come back in the span store's shape, so the swimlane and the
 * `trace.*` facts work the same on either source.
 *
 * @module
 */
import type { StoredSpan } from "./query.ts";

/** Jaeger could not be asked, or answered something other than a trace. */
export class JaegerError extends Error {
  override name = "JaegerError";
}

interface JaegerTag {
  key: string;
  value: unknown;
}

interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references?: { refType: string; spanID: string }[];
  startTime: number;
  duration: number;
  tags?: JaegerTag[];
  processID: string;
}

interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

// Tags Jaeger derives from OTLP fields the span model has columns for.
const MAPPED_TAGS = new Set(["span.kind", "otel.status_code", "otel.status_description", "error"]);

function spanOf(trace: JaegerTrace, s: JaegerSpan): Omit<StoredSpan, "offsetMs"> {
  const tags = new Map((s.tags ?? []).map((t) => [t.key, t.value]));
  const status = String(tags.get("otel.status_code") ?? (tags.get("error") ? "ERROR" : "UNSET"));
  return {
    traceId: trace.traceID,
    spanId: s.spanID,
    parentSpanId: s.references?.find((r) => r.refType === "CHILD_OF")?.spanID ?? null,
    name: s.operationName,
    service: trace.processes[s.processID]?.serviceName ?? "unknown",
    kind: String(tags.get("span.kind") ?? "internal").toUpperCase(),
    startTime: new Date(s.startTime / 1000),
    durationMs: s.duration / 1000,
    statusCode: status.toUpperCase(),
    statusMessage: (tags.get("otel.status_description") as string | undefined) ?? null,
    attributes: Object.fromEntries(
      [...tags].filter(([key]) => !MAPPED_TAGS.has(key)),
    ),
  };
}

/** The spans of `traceId` in Jaeger at `baseUrl`, earliest first; empty when it has none. */
export async function jaegerSpans(
  baseUrl: string,
  traceId: string,
  fetchImpl: typeof fetch = fetch,
): Promise<StoredSpan[]> {
  const url = `${baseUrl.replace(/\/+$/, "")}/api/traces/${encodeURIComponent(traceId)}`;
  let response: Response;
  try {
    response = await fetchImpl(url, { signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    throw new JaegerError(`GET ${url}: ${(e as Error).message}`);
  }
  if (response.status === 404) {
    await response.body?.cancel();
    return [];
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new JaegerError(`GET ${url}: ${response.status} ${response.statusText}`);
  }
  const body = await response.json().catch(() => null) as { data?: JaegerTrace[] } | null;
  if (!body || !Array.isArray(body.data)) throw new JaegerError(`GET ${url}: not a trace reply`);
  const trace = body.data[0];
  if (!trace) return [];
  const first = Math.min(...trace.spans.map((s) => s.startTime));
  return trace.spans
    .map((s) => ({ ...spanOf(trace, s), offsetMs: (s.startTime - first) / 1000 }))
    .sort((a, b) => a.offsetMs - b.offsetMs || (a.spanId < b.spanId ? -1 : 1));
}
