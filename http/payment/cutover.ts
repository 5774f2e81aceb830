/**
 * `POST /admin-api/v1/cutover/invalidate-mock-tokens?dryRun=`: the mock-to-Stripe cutover
 * (docs/providers.md §3.4). Admin scope; a dry run only reports.
 *
 * @module
 */
import { z } from "zod";
import { invalidateMockCards } from "../../actors/payment/cutover.ts";
import type { PaymentOptions } from "../../actors/payment/options.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";

/** The cutover route. */
export const invalidateMockTokens = defineRoute({
  method: "POST",
  path: "/admin-api/v1/cutover/invalidate-mock-tokens",
  summary: "Expire every active mock-token card once the gateway is Stripe (dryRun: report only)",
  query: z.object({ dryRun: z.enum(["true", "false"]).default("true") }),
  response: z.object({
    dryRun: z.boolean(),
    count: z.number().int(),
    cards: z.array(z.object({
      id: z.string(),
      customerId: z.string(),
      brand: z.string().nullable(),
      last4: z.string(),
      wasDefault: z.boolean(),
    })),
  }),
});

/** The cutover endpoint. */
export function cutoverEndpoints({ sql }: Pick<Deps, "sql">, options: PaymentOptions): Endpoint[] {
  return [
    endpoint(invalidateMockTokens, async ({ query }) => {
      const dryRun = query.dryRun === "true";
      const cards = await invalidateMockCards(sql, options, dryRun);
      return { dryRun, count: cards.length, cards };
    }),
  ];
}
