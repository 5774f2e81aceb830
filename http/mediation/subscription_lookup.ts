/**
 * The subscription of an MSISDN as mediation sees it: the subscription service's
 * `GET /subscription/by-msisdn/{msisdn}` over its typed client, null when it knows none.
 *
 * @module
 */
import type { SubscriptionByMsisdn } from "../../actors/mediation/model.ts";
import type { Config } from "../../kernel/config.ts";
import { NotFound } from "../../kernel/errors.ts";
import { serviceClient } from "../service_client.ts";
import { getSubscriptionByMsisdn } from "../subscription/routes.ts";

/** A lookup of an MSISDN's subscription through the subscription service. */
export function subscriptionLookup(config: Config): SubscriptionByMsisdn {
  const subscriptions = serviceClient(config, "subscription", "mediation");
  return async (msisdn) => {
    try {
      const s = await subscriptions.call(getSubscriptionByMsisdn, { params: { msisdn } });
      return {
        id: s.id,
        state: s.state,
        offeringId: s.offeringId,
        customerId: s.customerId,
        msisdn: s.msisdn,
      };
    } catch (e) {
      if (e instanceof NotFound) return null;
      throw e;
    }
  };
}
