/**
 * Card entry at the provider's page (docs/providers.md §3.4, Stripe Checkout): start one for a
 * customer, then put on file the card it saved. The card number never reaches the BSS.
 *
 * @module
 */
import { z } from "zod";
import { finishCardEntry, startCardEntry } from "../../actors/payment/card_entry.ts";
import type { PaymentOptions } from "../../actors/payment/options.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { PaymentMethod } from "./schemas.ts";
import { camelOrSnake } from "./snake_case.ts";
import { METHODS, methodWire } from "./wire.ts";

const Id = z.string().min(1).max(64);
const WebUrl = z.url({ protocol: /^https?$/ }).max(2000);

/** `POST …/paymentMethod/cardEntry`. */
export const startCardEntryRoute = defineRoute({
  method: "POST",
  path: `${METHODS}/cardEntry`,
  summary: "Start card entry at the payment provider's page (Stripe Checkout, setup mode)",
  body: camelOrSnake(z.object({
    customerId: Id,
    returnUrl: WebUrl,
    cancelUrl: WebUrl,
    currency: z.string().regex(/^[A-Z]{3}$/, "a three-letter ISO 4217 code").default("SGD"),
  })),
  response: z.object({ id: z.string(), url: z.string() }),
  status: 201,
});

/** `POST …/paymentMethod/cardEntry/{id}/complete`. */
export const finishCardEntryRoute = defineRoute({
  method: "POST",
  path: `${METHODS}/cardEntry/:id/complete`,
  summary: "Put on file the card saved in a finished card entry (again: the same card)",
  params: z.object({ id: z.string().min(3).max(255) }),
  body: camelOrSnake(z.object({ customerId: Id })),
  response: PaymentMethod,
});

/** The card entry endpoints. */
export function cardEntryEndpoints(
  { sql }: Pick<Deps, "sql">,
  options: PaymentOptions,
): Endpoint[] {
  return [
    endpoint(
      startCardEntryRoute,
      ({ body }) =>
        startCardEntry(options, body.customerId, {
          returnUrl: body.returnUrl,
          cancelUrl: body.cancelUrl,
          currency: body.currency,
        }),
    ),
    endpoint(
      finishCardEntryRoute,
      async ({ params, body }) =>
        methodWire(await finishCardEntry(sql, options, body.customerId, params.id)),
    ),
  ];
}
