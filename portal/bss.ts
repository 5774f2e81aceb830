/**
 * How the portal reaches the BSS: through the tool registry (the same tools and policies as
 * the CLI), with typed clients authenticated by the portal's own named token
 * (`portal_self_serve`), on channel `portal-self-serve`, acting as the signed-in customer
 * (whom the self-serve wrappers bind to) or as `portal-anon`. Without a portal token it falls
 * back to the services' own (`service`, which may relay the customer it acts for): `default`
 * asserts nothing, so it cannot stand in.
 *
 * @module
 */
import { createClient } from "../http/client.ts";
import type { Client } from "../http/client.ts";
import { serviceToken, serviceUrl } from "../http/service_client.ts";
import type { ServiceName } from "../http/services.ts";
import type { Config } from "../kernel/config.ts";
import { type CallerContext, withCaller } from "../kernel/context.ts";
import { toolNamed } from "../tools/registry.ts";
import type { ToolContext } from "../tools/tool.ts";

/** The portal's channel on every call. */
export const CHANNEL = "portal-self-serve";

/** Runs tools as the portal. */
export interface Bss {
  /** Runs tool `name` as `actor` (a `CUST-…` id, or `portal-anon`); failures throw. */
  run<T = unknown>(name: string, args: Record<string, unknown>, actor: string): Promise<T>;
}

/** The portal's tool runner for `config`. */
export function portalBss(config: Config): Bss {
  const token = config.outboundTokens.portal_self_serve ?? serviceToken(config);
  const clients = new Map<ServiceName, Client>();
  const ctx: ToolContext = {
    client(service) {
      let client = clients.get(service);
      if (!client) {
        client = createClient({ baseUrl: serviceUrl(config, service), token, service: CHANNEL });
        clients.set(service, client);
      }
      return client;
    },
  };
  return {
    run: <T>(name: string, args: Record<string, unknown>, actor: string) =>
      runTool<T>(name, args, ctx, {
        actor,
        channel: CHANNEL,
        serviceIdentity: "portal_self_serve",
      }),
  };
}

/** Runs tool `name` on `ctx` as `who` (a request of its own); unknown names throw. */
export function runTool<T>(
  name: string,
  args: Record<string, unknown>,
  ctx: ToolContext,
  who: Pick<CallerContext, "actor" | "channel" | "serviceIdentity">,
): Promise<T> {
  const tool = toolNamed(name);
  if (!tool) throw new Error(`no tool ${name}`);
  return withCaller(
    { ...who, tenant: "DEFAULT", requestId: crypto.randomUUID() },
    () => tool.invoke(args, ctx),
  ) as Promise<T>;
}
