/**
 * Charging the card on file: the one step activation, renewal and VAS share. The card is the
 * one given (activation: the order's) or the customer's default, else newest active card;
 * none is the operation's own rule. The key names the business operation, so a retried or
 * resumed step meets its first charge instead of making a second.
 *
 * @module
 */
import { requireCardOnFile } from "./policies.ts";
import type { ChargeFacts, ChargeRequest, SubscriptionPorts } from "./ports.ts";

/** What to charge, and the rule a missing card breaks. */
export interface CardCharge extends Omit<ChargeRequest, "paymentMethodId"> {
  paymentMethodId?: string | null;
  noCardRule: string;
}

/** Charges the card on file; answers the attempt and the card charged. */
export async function chargeCardOnFile(
  ports: SubscriptionPorts,
  { paymentMethodId, noCardRule, ...request }: CardCharge,
): Promise<{ attempt: ChargeFacts; paymentMethodId: string }> {
  const methodId = requireCardOnFile(
    paymentMethodId ?? await ports.chargeableMethod(request.customerId),
    noCardRule,
    request.customerId,
  );
  const attempt = await ports.charge({ ...request, paymentMethodId: methodId });
  return { attempt, paymentMethodId: methodId };
}
