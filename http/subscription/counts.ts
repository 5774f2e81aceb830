/**
 * How many lines a customer has, as CRM (closing a customer) and payment (removing the last
 * card) ask the subscription service over its typed client (docs/http.md §2: crm → subscription).
 *
 * @module
 */
import type { Config } from "../../kernel/config.ts";
import type { ServiceName } from "../services.ts";
import { serviceClient } from "../service_client.ts";
import { listSubscriptions } from "./routes.ts";

/** Counters of a customer's subscriptions by state, for service `caller`. */
export function subscriptionCounts(config: Config, caller: ServiceName) {
  const client = serviceClient(config, "subscription", caller);
  const count = (states: string[]) => async (customerId: string) =>
    (await client.call(listSubscriptions, { query: { customerId } }))
      .filter((s) => states.includes(s.state)).length;
  return {
    /** Lines not yet terminated (`pending`, `active`, `blocked`). */
    live: count(["pending", "active", "blocked"]),
    /** Lines in use (`active`, `blocked`): the last card on file must stay. */
    active: count(["active", "blocked"]),
  };
}
