/**
 * Rating's debug surface (docs/http.md §9.4; real rating is event-driven): the tariff an offering
 * is rated against, and a dry run of the rating function that writes and emits nothing.
 *
 * @module
 */
import { z } from "zod";
import { rate } from "../../actors/rating/rate.ts";
import { ProductOffering } from "../catalog/schemas.ts";
import { HttpError } from "../errors.ts";
import { camelOrSnake } from "../payment/snake_case.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import type { OfferingLookup } from "./catalog_tariff.ts";

const RATING = "/rating-api/v1";
const Text = (max: number) => z.string().trim().min(1).max(max);

/** `GET /tariff/{offeringId}`: the catalog offering, passed through. */
export const getTariff = defineRoute({
  method: "GET",
  path: `${RATING}/tariff/:offeringId`,
  summary: "The catalog offering usage of this offering is rated against",
  params: z.object({ offeringId: Text(64) }),
  response: ProductOffering,
});

/** The result of a dry-run rating. */
export const RatedUsage = z.object({
  usageEventId: z.string(),
  subscriptionId: z.string(),
  allowanceType: z.string(),
  consumedQuantity: z.number().int(),
  unit: z.string(),
  chargeAmount: z.literal("0"),
  currency: z.string(),
});

/** `POST /rate-test`. */
export const rateTest = defineRoute({
  method: "POST",
  path: `${RATING}/rate-test`,
  summary: "Rate a usage event without recording anything (404 unknown offering, " +
    "422 RATING_ERROR when the tariff cannot rate it)",
  body: camelOrSnake(z.object({
    usageEventId: Text(64).default("UE-TEST"),
    subscriptionId: Text(64),
    msisdn: Text(32),
    offeringId: Text(64),
    eventType: Text(32),
    quantity: z.number().int().positive(),
    unit: Text(16),
    roamingIndicator: z.boolean().default(false),
  })),
  response: RatedUsage,
});

/** The debug endpoints, reading offerings with `offeringOf`. */
export function debugEndpoints(offeringOf: OfferingLookup): Endpoint[] {
  return [
    endpoint(getTariff, ({ params }) => offeringOf(params.offeringId)),
    endpoint(rateTest, async ({ body }) => {
      const rating = rate(await offeringOf(body.offeringId), body);
      if (!rating.ok) {
        throw new HttpError(422, {
          code: "RATING_ERROR",
          message: rating.message,
          reason: rating.reason,
        });
      }
      const { ok: _, ...rated } = rating;
      return { usageEventId: body.usageEventId, subscriptionId: body.subscriptionId, ...rated };
    }),
  ];
}
