/**
 * TMF676 payment methods (docs/http.md §7): cards on file, registered from a provider token.
 *
 * @module
 */
import { z } from "zod";
import { oncePerKey, requestKeyOf } from "../idempotency.ts";
import {
  addMethod,
  getMethod,
  listMethods,
  removeMethod,
  setDefaultMethod,
} from "../../actors/payment/methods.ts";
import type { PaymentOptions } from "../../actors/payment/options.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { NewPaymentMethod, PaymentMethod } from "./schemas.ts";
import { METHODS, methodWire } from "./wire.ts";

const ById = z.object({ id: z.string() });

/** `POST …/paymentMethod`. */
export const createPaymentMethod = defineRoute({
  method: "POST",
  path: METHODS,
  summary: "Put a tokenized card on file; the customer's first card becomes the default",
  body: NewPaymentMethod,
  response: PaymentMethod,
  status: 201,
});

/** `GET …/paymentMethod?customerId=`. */
export const listPaymentMethods = defineRoute({
  method: "GET",
  path: METHODS,
  summary: "A customer's active cards, newest first",
  query: z.object({ customerId: z.string().min(1) }),
  response: z.array(PaymentMethod),
});

/** `GET …/paymentMethod/{id}`. */
export const getPaymentMethod = defineRoute({
  method: "GET",
  path: `${METHODS}/:id`,
  summary: "One card on file, in any state",
  params: ById,
  response: PaymentMethod,
});

/** `DELETE …/paymentMethod/{id}`. */
export const removePaymentMethod = defineRoute({
  method: "DELETE",
  path: `${METHODS}/:id`,
  summary: "Remove a card (never the last one while the customer has an active line)",
  params: ById,
  response: z.void(),
  status: 204,
});

/** `POST …/paymentMethod/{id}/setDefault`. */
export const setDefaultPaymentMethod = defineRoute({
  method: "POST",
  path: `${METHODS}/:id/setDefault`,
  summary: "Make a card the customer's default (clears the others)",
  params: ById,
  response: PaymentMethod,
});

/** The payment-method endpoints. */
export function paymentMethodEndpoints(
  { sql }: Pick<Deps, "sql">,
  options: PaymentOptions,
): Endpoint[] {
  return [
    endpoint(createPaymentMethod, async ({ body }, c) => {
      const key = requestKeyOf(c);
      const wire = await oncePerKey(
        sql,
        { scope: "payment.method.add", key, fingerprint: body },
        async () =>
          methodWire(
            await addMethod(sql, options, {
              customerId: body.customerId,
              tokenProvider: body.tokenizationProvider,
              token: body.providerToken,
              card: body.cardSummary && {
                brand: body.cardSummary.brand,
                last4: body.cardSummary.last4,
                expMonth: body.cardSummary.expMonth,
                expYear: body.cardSummary.expYear,
              },
            }),
          ),
      );
      c.header("Location", wire.href);
      return wire;
    }),
    endpoint(
      listPaymentMethods,
      async ({ query }) => (await listMethods(sql, query.customerId)).map(methodWire),
    ),
    endpoint(getPaymentMethod, async ({ params }) => methodWire(await getMethod(sql, params.id))),
    endpoint(removePaymentMethod, async ({ params }) => {
      await removeMethod(sql, options, params.id);
    }),
    endpoint(
      setDefaultPaymentMethod,
      async ({ params }) => methodWire(await setDefaultMethod(sql, params.id)),
    ),
  ];
}
