/**
 * Charges: one attempt per call, recorded with the gateway's final answer and its event in
 * one transaction. A charge carrying an idempotency key runs under that key's lock, so a
 * repeat (sequential or concurrent) returns the first attempt and never reaches the gateway
 * twice; the lock is held across the gateway call for exactly that reason.
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import { currentCaller } from "../../kernel/context.ts";
import type { Pool, Sql } from "../../kernel/db/types.ts";
import { NotFound } from "../../kernel/errors.ts";
import { emit } from "../../kernel/events.ts";
import { nextId } from "../../kernel/ids.ts";
import { log } from "../../kernel/log.ts";
import {
  attemptByKey,
  countAttempts,
  customerAttempts,
  findAttempt,
  insertAttempt,
} from "./attempt_queries.ts";
import { attemptRecorded } from "./events.ts";
import type { ChargeRequest, ChargeResult, PaymentGateway } from "./gateway.ts";
import { lockIdempotencyKey } from "./locks.ts";
import { findMethod } from "./method_queries.ts";
import type { ChargeInput, PaymentAttempt } from "./model.ts";
import { canonicalAmount, isZero } from "./money.ts";
import type { PaymentOptions } from "./options.ts";
import { checkCharge, checkReplay } from "./policies.ts";

/** The provider fields of an answer no provider gave. */
const NO_PROVIDER_ANSWER = { gatewayRef: null, providerCallId: null, declineCode: null };

/** A zero amount (a 100 % promotion) approves without a gateway call, so no reference. */
const ZERO_AMOUNT_APPROVAL: ChargeResult = {
  ...NO_PROVIDER_ANSWER,
  status: "approved",
  reason: null,
};

/** Charges a card on file; a decline is an answer (status `declined`), not an error. */
export async function charge(
  sql: Pool,
  options: PaymentOptions,
  request: ChargeInput,
): Promise<PaymentAttempt> {
  const input = { ...request, amount: canonicalAmount(request.amount) };
  const { tenant } = currentCaller();
  return await sql.begin(async (tx) => {
    const key = input.idempotencyKey;
    // One round trip; statements sent together run one after another in the order sent, so
    // the first attempt under the key is read once its lock is held. Shared lock on the card:
    // it cannot be removed while it is being charged.
    const [, prior, method] = await Promise.all([
      key === undefined ? undefined : lockIdempotencyKey(tx, tenant, key),
      key === undefined ? null : attemptByKey(tx, tenant, key),
      findMethod(tx, input.paymentMethodId, "share"),
    ]);
    if (prior) {
      checkReplay(input, prior);
      return prior;
    }
    checkCharge(input, method, options.gateway.provider);
    const id = await nextId(tx, "PAY", 6);
    const result = isZero(input.amount) ? ZERO_AMOUNT_APPROVAL : await callGateway(
      options.gateway,
      id,
      {
        token: method.token,
        amount: input.amount,
        currency: input.currency,
        purpose: input.purpose,
        customerId: input.customerId,
        // The caller's key is stable across crash-retries; the attempt id is the fallback.
        idempotencyKey: key ?? `ATT-${id}-r0`,
      },
    );
    const attempt = await insertAttempt(tx, {
      id,
      customerId: input.customerId,
      paymentMethodId: method.id,
      amount: input.amount,
      currency: input.currency,
      purpose: input.purpose,
      status: result.status,
      gatewayRef: result.gatewayRef,
      declineReason: result.reason,
      declineCode: result.declineCode,
      providerCallId: result.providerCallId,
      idempotencyKey: key ?? null,
      attemptedAt: clock.now(),
      tenant,
    });
    await emit(tx, attemptRecorded(attempt));
    log.info("payment.attempt_recorded", {
      payment_id: id,
      customer_id: attempt.customerId,
      status: attempt.status,
      decline_code: attempt.declineCode,
    });
    return attempt;
  });
}

/** The gateway's answer; a gateway that throws has `errored` (logged, never retried). */
async function callGateway(
  gateway: PaymentGateway,
  paymentId: string,
  request: ChargeRequest,
): Promise<ChargeResult> {
  try {
    return await gateway.charge(request);
  } catch (e) {
    log.error("payment.gateway_failed", {
      payment_id: paymentId,
      provider: gateway.provider,
      error: e instanceof Error ? e.message : String(e),
    });
    return { ...NO_PROVIDER_ANSWER, status: "errored", reason: "gateway_error" };
  }
}

/** One attempt; 404 when unknown. */
export async function getPayment(sql: Sql, id: string): Promise<PaymentAttempt> {
  const attempt = await findAttempt(sql, id);
  if (!attempt) throw new NotFound("Payment", id);
  return attempt;
}

/** A customer's attempts, newest first; without a page, all of them. */
export function listPayments(
  sql: Sql,
  customerId: string,
  page?: { limit?: number; offset?: number },
): Promise<PaymentAttempt[]> {
  return customerAttempts(sql, customerId, page);
}

/** How many attempts a customer has. */
export function countPayments(sql: Sql, customerId: string): Promise<number> {
  return countAttempts(sql, customerId);
}
