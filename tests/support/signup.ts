/**
 * Signing a customer up through the HTTP surface: a verified customer with a card on file,
 * and an order placed, submitted and (optionally) awaited.
 *
 * @module
 */
import { tokenizeCard } from "../../actors/payment/mock_tokenizer.ts";
import type { Client } from "../../http/client.ts";
import {
  createProductOrder,
  getProductOrder,
  submitProductOrder,
} from "../../http/com/product_orders.ts";
import { createPaymentMethod } from "../../http/payment/payment_methods.ts";
import { attestKyc, createCustomer } from "./crm.ts";
import { until } from "./system.ts";

/** A verified customer with `card` on file (and `email`, if given); returns the customer id. */
export async function signupCustomer(
  client: Record<string, Client>,
  card = "4242 4242 4242 4242",
  email?: string,
) {
  const customerId = await createCustomer(
    client.crm,
    email ? { contactMedium: [{ mediumType: "email", value: email, isPrimary: true }] } : {},
  );
  await attestKyc(client.crm, customerId);
  const tokenized = tokenizeCard({ cardNumber: card, expMonth: 12, expYear: 2099 });
  await client.payment.call(createPaymentMethod, { body: { customerId, ...tokenized } });
  return customerId;
}

/** Orders `offeringId`, submits it, and waits for a final state. */
export async function order(
  client: Record<string, Client>,
  customerId: string,
  offeringId = "PLAN_S",
) {
  const id = await placeOrder(client, customerId, offeringId);
  return await until(
    () => client.com.call(getProductOrder, { params: { id } }),
    (o) => ["completed", "failed", "cancelled"].includes(o.state),
    `order ${id} to finish`,
  );
}

/** Creates and submits an order; returns its id. */
export async function placeOrder(
  client: Record<string, Client>,
  customerId: string,
  offeringId = "PLAN_S",
): Promise<string> {
  const created = await client.com.call(createProductOrder, { body: { customerId, offeringId } });
  await client.com.call(submitProductOrder, { params: { id: created.id } });
  return created.id;
}
