/**
 * Order-time promotion reads (docs/http.md §5 `/promo/*`), called by COM and the portals. They
 * never error on a bad code: `valid:false` with a reason. Without the loyalty service the
 * reason is always `loyalty_not_configured` and a customer has no offers.
 *
 * @module
 */
import { z } from "zod";
import {
  customerOffers,
  previewPromo,
  resolveEligiblePromo,
  validatePromo,
} from "../../actors/catalog/promo_reads.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { CustomerOffers, PromoPreview, PromoResolve, PromoValidate } from "./schemas.ts";
import { Id } from "./wire.ts";

const CodeQuery = z.object({ code: Id, offering: Id, customerId: Id.optional() });

/** `GET /promo/preview`. */
export const previewPromoRoute = defineRoute({
  method: "GET",
  path: "/promo/preview",
  summary: "What a promo code would take off an offering's price",
  query: CodeQuery,
  response: PromoPreview,
});

/** `GET /promo/validate`. */
export const validatePromoRoute = defineRoute({
  method: "GET",
  path: "/promo/validate",
  summary: "A promo code checked for an order: the discount terms, or why not",
  query: CodeQuery,
  response: PromoValidate,
});

/** `GET /promo/resolve-eligible`. */
export const resolveEligiblePromoRoute = defineRoute({
  method: "GET",
  path: "/promo/resolve-eligible",
  summary: "The best targeted promotion a customer is eligible for on an offering",
  query: z.object({ customerId: Id, offering: Id }),
  response: PromoResolve,
});

/** `GET /promo/customer-offers` (`state` is accepted and ignored, as in the spec). */
export const customerOffersRoute = defineRoute({
  method: "GET",
  path: "/promo/customer-offers",
  summary: "A customer's eligible targeted offers",
  query: z.object({ customerId: Id, state: z.string().optional() }),
  response: CustomerOffers,
});

/** The promo read endpoints. */
export function promoEndpoints(): Endpoint[] {
  return [
    endpoint(previewPromoRoute, ({ query }) => previewPromo(query.code, query.offering)),
    endpoint(validatePromoRoute, ({ query }) => validatePromo(query.code, query.offering)),
    endpoint(resolveEligiblePromoRoute, () => resolveEligiblePromo()),
    endpoint(customerOffersRoute, ({ query }) => customerOffers(query.customerId)),
  ];
}
