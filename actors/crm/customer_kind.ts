/**
 * The customer actor (kind `customer`, service `crm`): every write on a customer — create,
 * status, names, contact media, KYC — is a message handled in turn, in one transaction with
 * its events and its auto-logged interaction.
 *
 * @module
 */
import { IO_BOUND } from "../runtime/drain_profiles.ts";
import type { ActorKind } from "../runtime/types.ts";
import { addContactMedium, removeContactMedium, updateContactMedium } from "./contact_media.ts";
import { establishCustomer, updateCustomer, updateIndividual } from "./customer_lifecycle.ts";
import { CustomerMessage } from "./customer_messages.ts";
import { getCustomer } from "./customer_queries.ts";
import { recordAttestation } from "./kyc_attestation.ts";
import { type CrmOptions, noLiveSubscriptions } from "./options.ts";

/** The customer kind, with the CRM's outside dependencies (defaults: see {@link CrmOptions}). */
export function customerKind(options: CrmOptions = {}): ActorKind<CustomerMessage> {
  const liveSubscriptionCount = options.liveSubscriptionCount ?? noLiveSubscriptions;
  const docReuse = options.kycDocReuse ?? false;
  return {
    kind: "customer",
    service: "crm",
    // Handlers call other services over HTTP: several loops, small batches. Every customer
    // write is an ask, so more loops than the profile's (bench api: 4 → 8 loops cut the
    // queue before the turn by about half at 16 writes in flight; 16 loops of one actor
    // each were slower: too many transactions for the cores).
    ...IO_BOUND,
    loops: 8,
    parse: (body) => CustomerMessage.parse(body),
    handle(turn, m) {
      switch (m.type) {
        case "create":
          return establishCustomer(turn, m);
        case "update":
          return updateCustomer(turn, m, liveSubscriptionCount);
        case "update_individual":
          return updateIndividual(turn, m);
        case "add_contact_medium":
          return addContactMedium(turn, m);
        case "update_contact_medium":
          return updateContactMedium(turn, m);
        case "remove_contact_medium":
          return removeContactMedium(turn, m);
        case "attest_kyc":
          return recordAttestation(turn, m, docReuse);
      }
    },
    state: (sql, key) => getCustomer(sql, key),
  };
}
