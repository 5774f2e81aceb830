/**
 * A customer's CRM status as other services see it: over CRM's typed client, null when CRM
 * does not know the id (payment's `customer_exists` and `customer_active_or_pending` rules).
 *
 * @module
 */
import type { Config } from "../../kernel/config.ts";
import { NotFound } from "../../kernel/errors.ts";
import { serviceClient } from "../service_client.ts";
import { getCustomer } from "./customers.ts";

/** A lookup of customer status through CRM for a service running with `config`. */
export function crmCustomerStatus(config: Config): (customerId: string) => Promise<string | null> {
  const crm = serviceClient(config, "crm", "payment");
  return async (customerId) => {
    try {
      return (await crm.call(getCustomer, { params: { id: customerId } })).status;
    } catch (e) {
      if (e instanceof NotFound) return null;
      throw e;
    }
  };
}
