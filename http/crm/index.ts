/**
 * The CRM service (port 8002) for the role table: its endpoints (TMF629 customer, TMF683
 * interaction, TMF621 trouble ticket, `/crm-api/v1` cases, KYC, agents, chat transcripts,
 * port requests), its actor kind (`customer`) and its event bindings (none: the CRM consumes
 * no events). The inventory sub-API is wired separately (`http/inventory`).
 *
 * @module
 */
import type { Binding } from "../../actors/bridge/types.ts";
import { customerKind } from "../../actors/crm/customer_kind.ts";
import type { CrmOptions } from "../../actors/crm/options.ts";
import type { ActorKind } from "../../actors/runtime/types.ts";
import type { Deps } from "../env.ts";
import type { Endpoint } from "../route.ts";
import { agentEndpoints } from "./agents.ts";
import { caseEndpoints } from "./cases.ts";
import { chatTranscriptEndpoints } from "./chat_transcripts.ts";
import { contactMediumEndpoints } from "./contact_media.ts";
import { customerEndpoints } from "./customers.ts";
import { interactionEndpoints } from "./interactions.ts";
import { kycEndpoints } from "./kyc.ts";
import { portRequestEndpoints } from "./port_requests.ts";
import { troubleTicketEndpoints } from "./trouble_tickets.ts";

// For the role table and tests: reference data to seed, and what the CRM depends on.
export { seedReferenceData } from "../../actors/crm/seed.ts";
export type { CrmOptions } from "../../actors/crm/options.ts";

/** The CRM's kinds and endpoints with `options` (defaults: see {@link CrmOptions}). */
export function crmDomain(options: CrmOptions = {}): {
  kinds: ActorKind[];
  endpoints(deps: Deps): Endpoint[];
} {
  return {
    kinds: [customerKind(options)],
    endpoints: (deps) => [
      ...customerEndpoints(deps),
      ...contactMediumEndpoints(deps),
      ...kycEndpoints(deps, options),
      ...interactionEndpoints(deps),
      ...troubleTicketEndpoints(deps),
      ...caseEndpoints(deps),
      ...agentEndpoints(deps),
      ...chatTranscriptEndpoints(deps),
      ...portRequestEndpoints(deps),
    ],
  };
}

const standard = crmDomain();

/** The CRM's actor kinds: `customer`. */
export const kinds: ActorKind[] = standard.kinds;

/** The CRM's endpoints. */
export const endpoints: (deps: Deps) => Endpoint[] = standard.endpoints;

/** The CRM consumes no events. */
export const bindings: Binding[] = [];
