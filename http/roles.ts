/**
 * The roles a process can run (`deno task start --role crm,com`; all by default) and what
 * each brings: its HTTP service, the actor kinds it hosts, the event bindings it consumes,
 * and its endpoints. Domains fill this table; nothing else needs to change to ship one.
 *
 * @module
 */
import type { Binding } from "../actors/bridge/types.ts";
import type { ActorKind } from "../actors/runtime/types.ts";
import type { Config } from "../kernel/config.ts";
import type { Deps } from "./env.ts";
import type { Endpoint } from "./route.ts";
import type { Fetcher } from "./serve.ts";
import { portalSelfServeRole } from "../portal/role.ts";
import { portalCsrRole } from "../portal/csr/role.ts";
import * as catalog from "./catalog/index.ts";
import * as com from "./com/index.ts";
import * as crm from "./crm/index.ts";
import { crmCustomerStatus } from "./crm/customer_status.ts";
import { customerByMsisdnEndpoints, lineOwnerVia } from "./crm/customer_by_msisdn.ts";
import * as inventory from "./inventory/index.ts";
import * as knowledge from "./knowledge/index.ts";
import * as mediation from "./mediation/index.ts";
import * as payment from "./payment/index.ts";
import { configuredGateway } from "./payment/stripe.ts";
import * as provisioning from "./provisioning/index.ts";
import * as rating from "./rating/index.ts";
import * as som from "./som/index.ts";
import * as subscription from "./subscription/index.ts";
import { subscriptionCounts } from "./subscription/counts.ts";
import { type ServiceName, SERVICES, type ServiceSpec } from "./services.ts";

/** What one role adds to a process. */
export interface Role {
  service: ServiceSpec;
  /** Actor kinds this role hosts (drained by this process), as configured. */
  kinds(config: Config): readonly ActorKind[];
  /** Event consumers this role runs (queue names unique across roles). */
  bindings: readonly Binding[];
  /** The role's HTTP endpoints, beside health, OpenAPI and the shared groups. */
  endpoints(deps: Deps): Endpoint[];
  /** Background work of the role (sweeps, workers); returns how to stop it. */
  background?(deps: Deps): () => void;
  /** A role that is not a TMF service (the portals) brings its own app instead. */
  app?(deps: Deps): Fetcher;
  /** Why the role cannot run under `config` (a missing secret), or undefined when it can. */
  unavailable?(config: Config): string | undefined;
}

/** A role's name: one per service, and the portals. */
export type RoleName = ServiceName | "portal-self-serve" | "portal-csr";

/** CRM as deployed: customer closing checks live lines with the subscription service. */
function crmOf(config: Config) {
  return crm.crmDomain({ liveSubscriptionCount: subscriptionCounts(config, "crm").live });
}

/** Every role. */
export const ROLES: Record<RoleName, Role> = {
  catalog: {
    service: SERVICES.catalog,
    kinds: () => catalog.kinds,
    bindings: catalog.bindings,
    endpoints: catalog.endpoints,
  },
  // The inventory sub-domain is served by CRM (docs/http.md §2), and so is the knowledge index
  // (customer-care knowledge), which CRM brings up to the files at start-up.
  crm: {
    service: SERVICES.crm,
    kinds: (config) => [...crmOf(config).kinds, ...inventory.kinds],
    bindings: [...crm.bindings, ...inventory.bindings],
    endpoints: (deps) => [
      ...customerByMsisdnEndpoints(deps, lineOwnerVia(deps.config)),
      ...crmOf(deps.config).endpoints(deps),
      ...inventory.endpoints(deps),
      ...knowledge.endpoints(deps),
    ],
    background: (deps) => {
      const stopReindex = knowledge.reindexOnStart(deps);
      const stopSweeper = inventory.sweepReservations(deps);
      return async () => {
        stopSweeper();
        await stopReindex();
      };
    },
  },
  payment: {
    service: SERVICES.payment,
    kinds: () => payment.kinds,
    bindings: payment.bindings,
    endpoints: (deps) =>
      payment.endpoints(deps, {
        gateway: configuredGateway(deps.config, deps.sql),
        customerStatus: crmCustomerStatus(deps.config),
        activeSubscriptionCount: subscriptionCounts(deps.config, "payment").active,
      }),
  },
  com: {
    service: SERVICES.com,
    kinds: (config) => com.kinds(config),
    bindings: com.bindings,
    endpoints: (deps) => com.endpoints(deps),
    background: ({ config, sql }) =>
      com.startSweeper(sql, {
        intervalSeconds: config.BSS_RECONCILIATION_INTERVAL_SECONDS,
        thresholdSeconds: config.BSS_ORDER_STUCK_THRESHOLD_SECONDS,
      }),
  },
  som: {
    service: SERVICES.som,
    kinds: (config) => som.kinds(config),
    bindings: som.bindings,
    endpoints: som.endpoints,
    background: (deps) => som.runEffects(deps),
  },
  subscription: {
    service: SERVICES.subscription,
    kinds: (config) => subscription.kinds(config),
    bindings: subscription.bindings,
    endpoints: (deps) => subscription.endpoints(deps),
    background: (deps) => subscription.runEffects(deps),
  },
  mediation: {
    service: SERVICES.mediation,
    kinds: () => mediation.kinds,
    bindings: mediation.bindings,
    endpoints: (deps) => mediation.endpoints(deps),
  },
  rating: {
    service: SERVICES.rating,
    kinds: (config) => rating.kinds(config),
    bindings: rating.bindings,
    endpoints: (deps) => rating.endpoints(deps),
  },
  "provisioning-sim": {
    service: SERVICES["provisioning-sim"],
    kinds: (config) =>
      provisioning.provisioningKinds({ delayScale: config.BSS_PROVISIONING_DELAY_SCALE }),
    bindings: provisioning.bindings,
    endpoints: provisioning.endpoints,
  },
  "portal-self-serve": portalSelfServeRole,
  "portal-csr": portalCsrRole,
};

/** A `--role` list naming a role that does not exist. */
export class UnknownRoleError extends Error {
  override name = "UnknownRoleError";
}

/** The roles of a comma-separated list (`"crm, com"`); every role when the list is absent. */
export function selectRoles(list?: string): RoleName[] {
  if (list === undefined) return Object.keys(ROLES) as RoleName[];
  const names = [...new Set(list.split(",").map((n) => n.trim()).filter(Boolean))];
  const unknown = names.filter((n) => !(n in ROLES));
  if (unknown.length || names.length === 0) {
    throw new UnknownRoleError(
      `unknown role ${unknown.map((n) => `"${n}"`).join(", ") || "(none given)"}; ` +
        `known: ${Object.keys(ROLES).join(", ")}`,
    );
  }
  return names as RoleName[];
}
