/**
 * Liveness and readiness (docs/http.md §11, docs/decisions.md): `/health` always answers 200; `/health/ready`
 * answers 200 when every dependency check passes (Postgres, and the broker when one is
 * configured), else 503 naming the failing ones. Both are token-exempt.
 *
 * @module
 */
import { z } from "zod";
import type { Sql } from "../kernel/db/types.ts";
import { HttpError } from "./errors.ts";
import { defineRoute, type Endpoint, endpoint } from "./route.ts";

/** A dependency probe: resolves when the dependency answers, rejects otherwise. */
export type Check = () => Promise<unknown>;

// Probes run every few seconds: a hung dependency must fail fast, not pile up.
const CHECK_TIMEOUT_MS = 2000;

/** `GET /health`. */
export const liveness = defineRoute({
  method: "GET",
  path: "/health",
  summary: "Liveness (no token)",
  response: z.object({ status: z.literal("ok"), service: z.string(), version: z.string() }),
});

/** `GET /health/ready`. */
export const readiness = defineRoute({
  method: "GET",
  path: "/health/ready",
  summary: "Readiness (no token): 503 NOT_READY naming the failing dependencies",
  response: z.object({ status: z.literal("ready"), service: z.string() }),
});

/** Postgres answers `select 1`. */
export function postgresCheck(sql: Sql): Check {
  return () => sql`select 1`;
}

/** The AMQP broker at `url` accepts TCP connections (reachable; the bridge does the rest). */
export function brokerCheck(url: string): Check {
  const { hostname, port, protocol } = new URL(url);
  const defaultPort = protocol === "amqps:" ? 5671 : 5672;
  return async () => {
    const conn = await Deno.connect({ hostname, port: Number(port) || defaultPort });
    conn.close();
  };
}

async function passes(check: Check): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** The two health endpoints of `service`. */
export function healthEndpoints(
  service: string,
  version: string,
  checks: Record<string, Check>,
): Endpoint[] {
  return [
    endpoint(liveness, () => ({ status: "ok", service, version })),
    endpoint(readiness, async () => {
      const names = Object.keys(checks);
      const results = await Promise.all(names.map((n) => passes(checks[n])));
      const failing = names.filter((_, i) => !results[i]);
      if (failing.length) {
        const message = `not ready: ${failing.join(", ")} unreachable`;
        throw new HttpError(503, { code: "NOT_READY", message, status: "unavailable", failing });
      }
      return { status: "ready", service };
    }),
  ];
}
