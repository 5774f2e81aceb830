/**
 * Domain records → wire models. Hrefs are relative (`<collection>/<id>`, docs/http.md §1).
 *
 * @module
 */
import type { z } from "zod";
import type { PaymentAttempt, PaymentMethod } from "../../actors/payment/model.ts";
import type { Payment as PaymentModel, PaymentMethod as MethodModel } from "./schemas.ts";

/** The method collection's path. */
export const METHODS = "/tmf-api/paymentMethodManagement/v4/paymentMethod";
/** The payment collection's path. */
export const PAYMENTS = "/tmf-api/paymentManagement/v4/payment";

/** A card on file as `PaymentMethod`. */
export function methodWire(m: PaymentMethod): z.input<typeof MethodModel> {
  return {
    "@type": "PaymentMethod",
    id: m.id,
    href: `${METHODS}/${m.id}`,
    customerId: m.customerId,
    type: m.type,
    tokenizationProvider: m.tokenProvider,
    providerToken: m.token,
    cardSummary: { ...m.card, country: null },
    isDefault: m.isDefault,
    status: m.status,
    createdAt: m.createdAt.toISOString(),
  };
}

/** An attempt as `Payment`. */
export function paymentWire(a: PaymentAttempt): z.input<typeof PaymentModel> {
  return {
    "@type": "Payment",
    id: a.id,
    href: `${PAYMENTS}/${a.id}`,
    customerId: a.customerId,
    paymentMethodId: a.paymentMethodId,
    amount: a.amount,
    currency: a.currency,
    purpose: a.purpose,
    status: a.status,
    gatewayRef: a.gatewayRef,
    declineReason: a.declineReason,
    declineCode: a.declineCode,
    attemptedAt: a.attemptedAt.toISOString(),
  };
}
