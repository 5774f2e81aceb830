/**
 * Serving an app on a port (0 = any free port, for tests).
 *
 * @module
 */
import type { Hono } from "hono";
import type { AppEnv } from "./env.ts";

/** A listening app. */
export interface Served {
  /** `http://host:port`, with the port actually bound. */
  url: string;
  port: number;
  /** Stops accepting and waits for in-flight requests to finish. */
  shutdown(): Promise<void>;
}

/** Listens on `hostname:port` and serves `app`. */
export function serve(app: Hono<AppEnv>, hostname: string, port: number): Served {
  const server = Deno.serve({ hostname, port, onListen: () => {} }, app.fetch);
  const bound = server.addr.port;
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  return { url: `http://${host}:${bound}`, port: bound, shutdown: () => server.shutdown() };
}
