/**
 * The customer's cards and charges as the portal shows them, read through the self-serve tools
 * bound to the signed-in customer.
 *
 * @module
 */
import type { Bss } from "./bss.ts";

/** A payment method as `payment.method_list_mine` answers it (the fields the portal reads). */
export interface Card {
  id: string;
  brand: string | null;
  last4: string;
  expMonth: number;
  expYear: number;
  isDefault: boolean;
  status: string;
}

/** A charge as `payment.charge_history_mine` answers it. */
export interface Charge {
  id: string;
  paymentMethodId: string;
  amount: string;
  currency: string;
  purpose: string;
  status: string;
  gatewayRef: string | null;
  declineReason: string | null;
  attemptedAt: string;
}

/** The newest `limit` charges of `customerId`, newest first. */
export function myCharges(bss: Bss, customerId: string, limit: number): Promise<Charge[]> {
  return bss.run<Charge[]>("payment.charge_history_mine", { limit }, customerId);
}

/** Every card of `customerId`, removed ones included. */
export function myCards(bss: Bss, customerId: string): Promise<Card[]> {
  return bss.run<Card[]>("payment.method_list_mine", {}, customerId);
}

/** The active default card of `customerId` (the one an order charges), if any. */
export async function defaultCard(bss: Bss, customerId: string): Promise<Card | undefined> {
  return (await myCards(bss, customerId)).find((m) => m.status === "active" && m.isDefault);
}

/** A gateway's decline code as a customer reads it ("card declined by issuer"). */
export function declineText(code: string): string {
  return code.replaceAll("_", " ");
}

/** How a card is named on a page: "Visa •••• 4242" (the gateway says brands in lower case). */
export function cardName(card: Pick<Card, "brand" | "last4">): string {
  const brand = card.brand ? card.brand[0].toUpperCase() + card.brand.slice(1) : "Card";
  return `${brand} •••• ${card.last4}`;
}
