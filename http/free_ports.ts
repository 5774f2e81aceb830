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

// Every port chosen here stays below Linux's ephemeral range (32768–60999), where outgoing
// connections take their local ports: a port free when checked there can be taken by a client
// socket a moment later.

/**
 * A `BSS_PORT_OFFSET` in 10000–21999 whose service and portal ports (18001–31000) are all
 * free right now.
 */
export function freePortOffset(): number {
  const bases = [...Object.values(SERVICES).map((s) => s.port), PORTAL_PORT];
  for (;;) {
    const offset = 10000 + Math.floor(Math.random() * 12000);
    const ports = bases.map((p) => p + offset);
    if (ports.every(isFree)) return offset;
  }
}

/** A free TCP port in 31100–32767, above every offset service port (an embedded Postgres). */
export function freePort(): number {
  for (;;) {
    const port = 31100 + Math.floor(Math.random() * 1668);
    if (isFree(port)) return port;
  }
}
