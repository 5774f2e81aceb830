/**
 * Scenario files name local URLs in the default port layout: the reference's publish the
 * self-serve portal at `http://localhost:9001` and the services at 8001…8010. A run whose roles
 * listen elsewhere (a `BSS_PORT_OFFSET`, the sandbox's free ports) reads such a URL at the port
 * the role has in this run, on the run's host.
 *
 * @module
 */
import type { Config } from "../../kernel/config.ts";
import { SERVICES } from "../../http/services.ts";
import { PORTAL_PORT } from "../../portal/settings.ts";

const DEFAULT_PORTS = new Set([PORTAL_PORT, ...Object.values(SERVICES).map((s) => s.port)]);
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** `url` moved to this run's port layout when it names a role's default local port. */
export function atRunPorts(url: URL, config: Pick<Config, "BSS_HOST" | "BSS_PORT_OFFSET">): URL {
  const port = Number(url.port);
  if (!LOCAL_HOSTS.has(url.hostname) || !DEFAULT_PORTS.has(port)) return url;
  const moved = new URL(url);
  moved.hostname = config.BSS_HOST === "0.0.0.0" ? "127.0.0.1" : config.BSS_HOST;
  moved.port = String(port + config.BSS_PORT_OFFSET);
  return moved;
}
