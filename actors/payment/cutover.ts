/**
 * The mock-to-Stripe cutover (docs/providers.md §3.4): once the gateway is Stripe, the cards put
 * on file with mock tokens cannot be charged (their provider is not the gateway's); this expires
 * them, each with a `payment_method.cutover_invalidated` event, so the customers are asked for a
 * card at Stripe instead of meeting a refused renewal. A dry run reports the same cards and
 * changes nothing.
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import type { Pool } from "../../kernel/db/types.ts";
import { PolicyViolation } from "../../kernel/errors.ts";
import { emit } from "../../kernel/events.ts";
import { methodChanged } from "./events.ts";
import type { PaymentOptions } from "./options.ts";

/** A card the cutover expires (or, in a dry run, would). */
export interface CutoverCard {
  id: string;
  customerId: string;
  brand: string | null;
  last4: string;
  wasDefault: boolean;
}

/** Expires every active mock-token card (unless `dryRun`); answers them. */
export async function invalidateMockCards(
  sql: Pool,
  options: PaymentOptions,
  dryRun: boolean,
): Promise<CutoverCard[]> {
  if (!dryRun && options.gateway.provider === "mock") {
    throw new PolicyViolation(
      "payment.cutover.gateway_not_switched",
      "the gateway is still mock: set BSS_PAYMENT_PROVIDER=stripe first (a dry run shows the cards)",
      { active_adapter: options.gateway.provider },
    );
  }
  const cards = await sql.begin(async (tx) => {
    const rows = await tx`
      select id, customer_id, brand, last4, is_default from payment.payment_method
      where token_provider = 'mock' and status = 'active'
      order by customer_id, id
      ${dryRun ? tx`` : tx`for update`}`;
    if (dryRun || rows.length === 0) return rows;
    const expired = await tx`
      update payment.payment_method set status = 'expired', is_default = false,
        updated_at = ${clock.now()}
      where id in ${tx(rows.map((r) => r.id as string))}
      returning *`;
    await emit(
      tx,
      ...expired.map((r) =>
        methodChanged("payment_method.cutover_invalidated", {
          id: r.id,
          customerId: r.customer_id,
          card: { last4: r.last4 },
        })
      ),
    );
    return rows;
  });
  return cards.map((r) => ({
    id: r.id,
    customerId: r.customer_id,
    brand: r.brand,
    last4: r.last4,
    wasDefault: r.is_default,
  }));
}
