/**
 * `GET /tmf-api/customerManagement/v4/customer/by-msisdn/{msisdn}`: the owner of the line
 * using a number — MSISDN → the subscription service's live line → its customer. A number
 * with no live line (none, or only terminated ones: docs/decisions.md) is a 404.
 *
 * @module
 */
import { z } from "zod";
import * as customers from "../../actors/crm/customer_queries.ts";
import type { Config } from "../../kernel/config.ts";
import { NotFound } from "../../kernel/errors.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { serviceClient } from "../service_client.ts";
import { getSubscriptionByMsisdn } from "../subscription/routes.ts";
import { Customer } from "./customer_schemas.ts";

/** The owner of a number's live line, or undefined. */
export type LineOwner = (msisdn: string) => Promise<string | undefined>;

/** `GET /customer/by-msisdn/{msisdn}`. */
export const customerByMsisdn = defineRoute({
  method: "GET",
  path: "/tmf-api/customerManagement/v4/customer/by-msisdn/:msisdn",
  summary: "The customer whose live line uses this MSISDN",
  params: z.object({ msisdn: z.string() }),
  response: Customer,
});

/** Asks the subscription service (as `crm`) who owns a number's live line. */
export function lineOwnerVia(config: Config): LineOwner {
  const subscriptions = serviceClient(config, "subscription", "crm");
  return async (msisdn) => {
    try {
      const line = await subscriptions.call(getSubscriptionByMsisdn, { params: { msisdn } });
      return line.state === "terminated" ? undefined : line.customerId;
    } catch (e) {
      if (e instanceof NotFound) return undefined;
      throw e;
    }
  };
}

/** The by-msisdn endpoint, resolving owners with `owner`. */
export function customerByMsisdnEndpoints(
  { sql }: Pick<Deps, "sql">,
  owner: LineOwner,
): Endpoint[] {
  return [
    endpoint(customerByMsisdn, async ({ params }) => {
      const id = await owner(params.msisdn);
      const customer = id ? await customers.getCustomer(sql, id) : undefined;
      if (!customer) throw new NotFound("Customer for MSISDN", params.msisdn);
      return customer;
    }),
  ];
}
