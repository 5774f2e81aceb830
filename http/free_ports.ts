/**
 * Finding free ports on the loopback: for processes that must not collide with another
 * instance on the same machine (the scenario sandbox, tests, benchmarks).
 *
 * @module
 */
import { PORTAL_PORT } from "../portal/settings.ts";
import { SERVICES } from "./services.ts";

/** Whether TCP `port` on 127.0.0.1 can be bound right now. */
export function isFree(port: number): boolean {
  try {
    Deno.listen({ hostname: "127.0.0.1", port }).close();
    return true;
  } catch {
    return false;
  }
}

/** A `BSS_PORT_OFFSET` in 20000–39999 whose service and portal ports are all free right now. */
export function freePortOffset(): number {
  const bases = [...Object.values(SERVICES).map((s) => s.port), PORTAL_PORT];
  for (;;) {
    const offset = 20000 + Math.floor(Math.random() * 20000);
    const ports = bases.map((p) => p + offset);
    if (ports.every(isFree)) return offset;
  }
}

/** A free TCP port in 40000–59999 (for an embedded Postgres). */
export function freePort(): number {
  for (;;) {
    const port = 40000 + Math.floor(Math.random() * 20000);
    if (isFree(port)) return port;
  }
}
