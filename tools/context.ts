/**
 * The tool context of a process: one typed client per service, found and authenticated from
 * the configuration exactly as the services reach each other.
 *
 * @module
 */
import type { Config } from "../kernel/config.ts";
import type { Client } from "../http/client.ts";
import { serviceClient } from "../http/service_client.ts";
import type { ServiceName } from "../http/services.ts";
import type { ToolContext } from "./tool.ts";

/** Clients built on first use; `caller` names this process in client spans (`cli`). */
export function toolContext(config: Config, caller: string): ToolContext {
  const clients = new Map<ServiceName, Client>();
  return {
    client(service) {
      let client = clients.get(service);
      if (!client) clients.set(service, client = serviceClient(config, service, caller));
      return client;
    },
  };
}
