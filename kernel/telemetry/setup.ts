/**
 * Telemetry start-up. (Placeholder until the span store lands: registers nothing.)
 *
 * @module
 */
import type { Config } from "../config.ts";
import type { Pool } from "../db/types.ts";

/** Running telemetry of this process. */
export interface Telemetry {
  /** Flushes pending spans and stops exporting. */
  shutdown(): Promise<void>;
}

/** Starts tracing for this process. */
export function startTelemetry(_config: Config, _sql: Pool, _serviceName: string): Telemetry {
  return { shutdown: () => Promise.resolve() };
}
