/**
 * The subscription service (8006, `/subscription-api/v1`) for the role table: its endpoints,
 * the subscription actor kind, the `usage.rated` binding and the effect runner of its
 * activation saga, its renewal and top-up charges and its terminations' line releases. It reaches CRM (customers and the inventory), catalog and payment through
 * its ports (`ports.ts`), over clients found from the configuration.
 *
 * ```ts
 * subscription: { service: SERVICES.subscription, kinds: subscription.kinds,
 *   bindings: subscription.bindings, endpoints: (deps) => subscription.endpoints(deps),
 *   background: (deps) => subscription.runEffects(deps) },
 * ```
 *
 * @module
 */
import type { Binding } from "../../actors/bridge/types.ts";
import {
  type EffectHandler,
  type RunnerOptions,
  startEffectRunner,
} from "../../actors/effects/runner.ts";
import type { ActorKind } from "../../actors/runtime/types.ts";
import { activationEffects } from "../../actors/subscription/activation_effects.ts";
import { chargeEffects } from "../../actors/subscription/charge_effects.ts";
import { terminationEffects } from "../../actors/subscription/termination.ts";
import type { SubscriptionPorts } from "../../actors/subscription/ports.ts";
import { subscriptionKind } from "../../actors/subscription/subscription_kind.ts";
import type { Config } from "../../kernel/config.ts";
import { log } from "../../kernel/log.ts";
import type { Deps } from "../env.ts";
import type { Endpoint } from "../route.ts";
import { portedOutBinding, usageRatedBinding } from "./bindings.ts";
import { subscriptionEndpoints } from "./endpoints.ts";
import { clientsFrom, subscriptionPorts } from "./ports.ts";

// For CRM (customer close guard) and payment (card removal guard).
export { activeSubscriptionCount, liveSubscriptionCount } from "../../actors/subscription/rows.ts";
export { tickRenewalsNow } from "../../actors/subscription/sweep.ts";

/** What the service can be given instead of its configured neighbours. */
export interface SubscriptionOptions {
  /** The ports to CRM, catalog and payment (default: over clients from the config). */
  ports?: SubscriptionPorts;
}

const portsOf = (config: Config, options: SubscriptionOptions) =>
  options.ports ?? subscriptionPorts(clientsFrom(config));

/** A subscription service: its kinds, endpoints and effects sharing one set of ports. */
export function subscriptionDomain(ports: () => SubscriptionPorts): {
  kinds: ActorKind[];
  endpoints(deps: Deps): Endpoint[];
  effects: Record<string, EffectHandler>;
} {
  return {
    kinds: [subscriptionKind(ports)],
    endpoints: (deps) => subscriptionEndpoints(deps, ports),
    effects: { ...activationEffects(ports), ...chargeEffects(ports), ...terminationEffects(ports) },
  };
}

/** The subscription endpoints, calling neighbours as configured in `deps.config`. */
export function endpoints(deps: Deps, options: SubscriptionOptions = {}): Endpoint[] {
  const ports = portsOf(deps.config, options);
  return subscriptionDomain(() => ports).endpoints(deps);
}

/** The subscription actor kind, calling neighbours as configured in `config`. */
export function kinds(config: Config, options: SubscriptionOptions = {}): ActorKind[] {
  const ports = portsOf(config, options);
  return subscriptionDomain(() => ports).kinds;
}

/** Runs the saga's effects in the background; returns how to stop them. */
export function runEffects(
  { config, sql }: Pick<Deps, "config" | "sql">,
  options: SubscriptionOptions & Partial<RunnerOptions> = {},
): () => Promise<void> {
  const ports = portsOf(config, options);
  const runner = startEffectRunner(sql, subscriptionDomain(() => ports).effects, options);
  runner.catch((e) => log.error("subscription.effects.start_failed", { error: String(e) }));
  return async () => await (await runner.catch(() => null))?.stop();
}

export const bindings: Binding[] = [usageRatedBinding, portedOutBinding];
