/**
 * The SOM service (8005): TMF641 service orders and TMF638 service inventory (read-only
 * HTTP), the `service_order` actor kind and the event bindings that drive it. The kind calls
 * the catalog and CRM's inventory, so it is built from the process configuration:
 *
 * ```ts
 * som: { kinds: som.kinds(config), bindings: som.bindings, endpoints: som.endpoints,
 *   background: (deps) => som.runEffects(deps) }
 * ```
 *
 * @module
 */
import type { Binding } from "../../actors/bridge/types.ts";
import type { ActorKind } from "../../actors/runtime/types.ts";
import { type RunnerOptions, startEffectRunner } from "../../actors/effects/runner.ts";
import { somBindings } from "../../actors/som/bindings.ts";
import { somEffects } from "../../actors/som/decompose.ts";
import { log } from "../../kernel/log.ts";
import type { SomPorts } from "../../actors/som/ports.ts";
import { serviceOrderKind } from "../../actors/som/service_order_kind.ts";
import type { Config } from "../../kernel/config.ts";
import type { Deps } from "../env.ts";
import { aliasedEndpoints, type Endpoint } from "../route.ts";
import { SOM_PATH_ALIASES } from "./schemas.ts";
import { somPorts } from "./ports.ts";
import { serviceOrderEndpoints } from "./service_orders.ts";
import { serviceEndpoints } from "./services.ts";

/** Every SOM endpoint, under the official prefixes and under the old ones as aliases. */
export function endpoints(deps: Pick<Deps, "sql" | "system">): Endpoint[] {
  const official = [...serviceOrderEndpoints(deps), ...serviceEndpoints(deps)];
  return [
    ...official,
    ...Object.entries(SOM_PATH_ALIASES).flatMap(([old, prefix]) =>
      aliasedEndpoints(official, prefix, old)
    ),
  ];
}

/** SOM's actor kinds (`service_order`), over HTTP ports unless `ports` replaces some. */
export function kinds(config: Config, ports: Partial<SomPorts> = {}): ActorKind[] {
  return [serviceOrderKind({ ...somPorts(config), ...ports })];
}

/** Runs SOM's effects (the line reservation and its release) in the background. */
export function runEffects(
  { config, sql }: Pick<Deps, "config" | "sql">,
  ports: Partial<SomPorts> = {},
  options: Partial<RunnerOptions> = {},
): () => Promise<void> {
  const runner = startEffectRunner(sql, somEffects({ ...somPorts(config), ...ports }), {
    service: "som",
    ...options,
  });
  runner.catch((e) => log.error("som.effects.start_failed", { error: String(e) }));
  return async () => await (await runner.catch(() => null))?.stop();
}

/** SOM's event bindings: `som.order.in_progress|cancelled|completed`, `som.provisioning.task.*`. */
export const bindings: Binding[] = somBindings;
