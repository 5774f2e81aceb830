/**
 * Service-to-service calls: a typed client of another BSS service, found at its
 * `BSS_<SERVICE>_URL` or, by default, on this host at its port plus `BSS_PORT_OFFSET`, and
 * authenticated with the default token (docs/http.md §3.5: services call each other as `default`).
 *
 * @module
 */
import type { Config } from "../kernel/config.ts";
import { type Client, createClient } from "./client.ts";
import { type ServiceName, SERVICES } from "./services.ts";

/** Where `name` is reached from this process. */
export function serviceUrl(config: Config, name: ServiceName): string {
  const host = config.BSS_HOST === "0.0.0.0" ? "127.0.0.1" : config.BSS_HOST;
  return config.serviceUrls[name] ??
    `http://${host}:${SERVICES[name].port + config.BSS_PORT_OFFSET}`;
}

/** A typed client of service `name`; `caller` names this side in client spans. */
export function serviceClient(config: Config, name: ServiceName, caller: string): Client {
  return createClient({
    baseUrl: serviceUrl(config, name),
    token: config.outboundTokens.default,
    service: caller,
  });
}
