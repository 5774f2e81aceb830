/**
 * The tool context of a process: one typed client per service, found and authenticated from
 * the configuration exactly as the services reach each other.
 *
 * @module
 */
import type { Config } from "../kernel/config.ts";
import { type Client, createClient } from "../http/client.ts";
import { serviceUrl } from "../http/service_client.ts";
import type { ServiceName } from "../http/services.ts";
import type { ToolContext } from "./tool.ts";

/**
 * Clients built on first use; `caller` names this process in client spans (`cli`).
 * `identity` is the named token the calls present (`operator_cockpit` for the agent in the
 * cockpit, `portal_self_serve` for the customer chat); its token must be configured.
 */
export function toolContext(config: Config, caller: string, identity = "default"): ToolContext {
  const token = config.outboundTokens[identity];
  if (!token) {
    const name = identity === "default"
      ? "BSS_API_TOKEN"
      : `BSS_${identity.toUpperCase()}_API_TOKEN`;
    throw new Error(`no token for identity ${identity}: set ${name}`);
  }
  const clients = new Map<ServiceName, Client>();
  return {
    client(service) {
      let client = clients.get(service);
      if (!client) {
        const baseUrl = serviceUrl(config, service);
        clients.set(service, client = createClient({ baseUrl, token, service: caller }));
      }
      return client;
    },
  };
}
