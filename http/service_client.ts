/**
 * Service-to-service calls: a typed client of another BSS service, found at its
 * `BSS_<SERVICE>_URL` or, by default, on this host at its port plus `BSS_PORT_OFFSET`, and
 * authenticated as `service`, the identity that may relay the caller it serves (README
 * "Identity you cannot forge"); where no `BSS_SERVICE_API_TOKEN` is configured, as `default`,
 * and the hop is then recorded as `default`'s.
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

/** The token the system's own calls present: `service`'s, else `default`'s. */
export function serviceToken(config: Config): string {
  return config.outboundTokens.service ?? config.outboundTokens.default;
}

/** A typed client of service `name`; `caller` names this side in client spans. */
export function serviceClient(config: Config, name: ServiceName, caller: string): Client {
  return createClient({
    baseUrl: serviceUrl(config, name),
    token: serviceToken(config),
    service: caller,
  });
}
