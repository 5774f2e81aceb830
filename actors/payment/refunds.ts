/**
 * Refunds (compensation): the approved charge made under an idempotency key is given back
 * in full, once. The refund runs under the charge's own key lock, so it cannot interleave
 * with a charge of that key, and a repeat finds the attempt refunded and answers it again.
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import { currentCaller } from "../../kernel/context.ts";
import type { Pool } from "../../kernel/db/types.ts";
import { emit } from "../../kernel/events.ts";
import { log } from "../../kernel/log.ts";
import { attemptByKey, markRefunded } from "./attempt_queries.ts";
import { attemptRecorded } from "./events.ts";
import { lockIdempotencyKey } from "./locks.ts";
import type { PaymentAttempt } from "./model.ts";
import type { PaymentOptions } from "./options.ts";

/**
 * Refunds the approved charge recorded under `key`; answers the attempt as it now is, or
 * null when no charge was made under the key. Declined or errored attempts are answered
 * unchanged (nothing was taken); zero-amount approvals are marked refunded without a call.
 */
export async function refundByKey(
  sql: Pool,
  options: PaymentOptions,
  key: string,
  reason: string,
): Promise<PaymentAttempt | null> {
  const { tenant } = currentCaller();
  return await sql.begin(async (tx) => {
    await lockIdempotencyKey(tx, tenant, key);
    const attempt = await attemptByKey(tx, tenant, key);
    if (!attempt || attempt.status !== "approved") return attempt;
    let ref: string | null = null;
    if (attempt.gatewayRef !== null) {
      if (!options.gateway.refund) {
        throw new Error(`the ${options.gateway.provider} gateway cannot refund`);
      }
      ({ refundRef: ref } = await options.gateway.refund({
        gatewayRef: attempt.gatewayRef,
        amount: attempt.amount,
        currency: attempt.currency,
        idempotencyKey: `refund:${key}`,
      }));
    }
    const refunded = await markRefunded(tx, attempt.id, { ref, reason, at: clock.now() });
    await emit(tx, attemptRecorded(refunded));
    log.info("payment.refunded", { payment_id: attempt.id, reason });
    return refunded;
  });
}
