/**
 * Card entry at the provider's own page (Stripe Checkout): the card number is typed at the
 * provider, never here, and the card is put on file from what the provider saved. Finishing
 * the same entry again (a reload of the return page) answers the card it put on file.
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import type { Pool } from "../../kernel/db/types.ts";
import { PolicyViolation } from "../../kernel/errors.ts";
import type { CardEntryUrls } from "./gateway.ts";
import { methodByToken } from "./method_queries.ts";
import { addMethod } from "./methods.ts";
import type { PaymentMethod } from "./model.ts";
import type { PaymentOptions } from "./options.ts";
import { checkAddMethod } from "./policies.ts";

/** Starts card entry for the customer; answers the entry's id and the page to send them to. */
export async function startCardEntry(
  options: PaymentOptions,
  customerId: string,
  urls: CardEntryUrls,
): Promise<{ id: string; url: string }> {
  const { gateway } = options;
  if (!gateway.startCardEntry) throw notOnThisGateway(customerId, gateway.provider);
  checkAddMethod({
    customerId,
    customerStatus: await options.customerStatus(customerId),
    tokenProvider: gateway.provider,
    activeProvider: gateway.provider,
    now: clock.now(),
  });
  return await gateway.startCardEntry(customerId, urls);
}

/** Puts the card entered in entry `id` on file (or answers it, when it is already). */
export async function finishCardEntry(
  sql: Pool,
  options: PaymentOptions,
  customerId: string,
  id: string,
): Promise<PaymentMethod> {
  const { gateway } = options;
  if (!gateway.finishCardEntry) throw notOnThisGateway(customerId, gateway.provider);
  const token = await gateway.finishCardEntry(customerId, id);
  const known = await methodByToken(sql, token);
  if (known?.customerId === customerId && known.status === "active") return known;
  return await addMethod(sql, options, { customerId, tokenProvider: gateway.provider, token });
}

function notOnThisGateway(customerId: string, provider: string): PolicyViolation {
  return new PolicyViolation(
    "payment.card_entry.provider_page",
    `card entry at the provider's page needs the Stripe gateway (the gateway is ${provider})`,
    { customer_id: customerId, active_adapter: provider },
  );
}
