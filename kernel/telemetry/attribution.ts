/**
 * Which service a span belongs to: its own `bss.service` attribute, else the nearest ancestor's
 * among the live spans of this process (a parent reached through a traceparent counts), else a
 * fallback. One process hosts every service, so the resource name
 * alone cannot say which swimlane a span (say, a handler's SQL statement) belongs in.
 *
 * @module
 */
import type { ReadableSpan } from "@opentelemetry/sdk-trace";

/** The attribute that names a span's service (set by the actor runtime and the HTTP helpers). */
export const SERVICE_ATTRIBUTE = "bss.service";

// A span that never ends would otherwise pin its entry forever.
const MAX_LIVE = 50_000;

/** Tracks the service of live spans so children started later can inherit it. */
export class ServiceAttribution {
  // span id → service, for live spans that have a service other than the fallback.
  readonly #live = new Map<string, string>();

  /** @param fallback The service of spans with no service of their own or of an ancestor. */
  constructor(readonly fallback: string) {}

  /** Records a span as it starts: its own service, else its live parent's. */
  start(span: ReadableSpan): void {
    const service = own(span) ?? this.#live.get(span.parentSpanContext?.spanId ?? "");
    if (service === undefined) return;
    if (this.#live.size >= MAX_LIVE) this.#live.delete(this.#live.keys().next().value!);
    this.#live.set(span.spanContext().spanId, service);
  }

  /** Forgets a span as it ends and returns its service. */
  end(span: ReadableSpan): string {
    const id = span.spanContext().spanId;
    const tracked = this.#live.get(id);
    if (tracked !== undefined) this.#live.delete(id);
    return own(span) ?? tracked ?? this.fallback;
  }
}

function own(span: ReadableSpan): string | undefined {
  const value = span.attributes[SERVICE_ATTRIBUTE];
  return typeof value === "string" && value !== "" ? value : undefined;
}
