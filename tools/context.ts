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
import { tokenVarOf } from "../kernel/tokens.ts";
import type { ToolContext } from "./tool.ts";

/**
 * Clients built on first use; `caller` names this process in client spans (`cli`).
 * `identity` is the named token the calls present: `operator_cli` by default (the CLI, the
 * scenario runner, `bss ask`: it may assert their operator actor), `operator_cockpit` for the
 * agent in the cockpit, `portal_self_serve` for the customer chat. Without an `operator_cli`
 * token (an environment that sets only `BSS_API_TOKEN`) the calls present `default`, and the
 * audit trail records `default` rather than the operator.
 */
export function toolContext(
  config: Config,
  caller: string,
  identity = "operator_cli",
): ToolContext {
  const token = config.outboundTokens[identity] ??
    (identity === "operator_cli" ? config.outboundTokens.default : undefined);
  if (!token) throw new Error(`no token for identity ${identity}: set ${tokenVarOf(identity)}`);
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
