/**
 * What the payment service depends on outside its own schema: the gateway, and two answers
 * that belong to other services (CRM's customer status, subscription's active-line count).
 * The role wiring passes typed-client lookups; the defaults serve a payment service alone.
 *
 * @module
 */
import type { PaymentGateway } from "./gateway.ts";
import { MockGateway } from "./mock_gateway.ts";

/** The payment service's collaborators. */
export interface PaymentOptions {
  /** Where charges go. Default: {@link MockGateway}. */
  gateway: PaymentGateway;
  /**
   * The customer's CRM status (`active`, `pending`, …), or null when CRM does not know the
   * id. Default: every customer is `active`.
   */
  customerStatus(customerId: string): Promise<string | null>;
  /** How many active subscriptions the customer has. Default: 0. */
  activeSubscriptionCount(customerId: string): Promise<number>;
}

/** The options with defaults filled in. */
export function paymentOptions(given: Partial<PaymentOptions> = {}): PaymentOptions {
  return {
    gateway: given.gateway ?? new MockGateway(),
    customerStatus: given.customerStatus ?? (() => Promise.resolve("active")),
    activeSubscriptionCount: given.activeSubscriptionCount ?? (() => Promise.resolve(0)),
  };
}
