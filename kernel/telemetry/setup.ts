/**
 * Telemetry start-up: when `BSS_OTEL_ENABLED`, every finished span of this process is written
 * to the span store (`telemetry.span`) and, when `BSS_OTEL_EXPORTER_OTLP_ENDPOINT` is set,
 * exported over OTLP/HTTP too.
 *
 * @module
 */
import type { Config } from "../config.ts";
import type { Pool } from "../db/types.ts";
import { otlpProcessor } from "./otlp.ts";
import { attachProcessor } from "./provider.ts";
import { pruneSpansEvery } from "./retention.ts";
import { SpanStore } from "./span_store.ts";

/** Running telemetry of this process. */
export interface Telemetry {
  /** Writes and exports the spans finished so far (e.g. before reading a trace back). */
  flush(): Promise<void>;
  /** Flushes pending spans and stops exporting. */
  shutdown(): Promise<void>;
}

/**
 * Starts tracing for this process. The global provider's resource `service.name` is
 * `BSS_OTEL_SERVICE_NAME_PREFIX`; `serviceName` is the service of spans that have no
 * `bss.service` of their own or of an ancestor. Safe to call more than once per process
 * (tests boot twice): each call adds its own span store, and its `shutdown` flushes and
 * removes only what that call added.
 */
export function startTelemetry(config: Config, sql: Pool, serviceName: string): Telemetry {
  const idle = () => Promise.resolve();
  if (!config.BSS_OTEL_ENABLED) return { flush: idle, shutdown: idle };
  const endpoint = config.BSS_OTEL_EXPORTER_OTLP_ENDPOINT;
  const processors = [
    new SpanStore(sql, serviceName),
    ...endpoint ? [otlpProcessor(endpoint)] : [],
  ];
  const detach = processors.map((p) => attachProcessor(config.BSS_OTEL_SERVICE_NAME_PREFIX, p));
  const retention = pruneSpansEvery(sql, config.BSS_OTEL_RETENTION_HOURS);
  return {
    async flush() {
      await Promise.all(processors.map((p) => p.forceFlush()));
    },
    async shutdown() {
      clearInterval(retention);
      await Promise.all(detach.map((d) => d()));
    },
  };
}
