/**
 * SQL over `payment.payment_attempt`.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import type { PaymentAttempt } from "./model.ts";

// deno-lint-ignore no-explicit-any
function toAttempt(r: any): PaymentAttempt {
  return {
    id: r.id,
    customerId: r.customer_id,
    paymentMethodId: r.payment_method_id,
    amount: r.amount,
    currency: r.currency,
    purpose: r.purpose,
    status: r.status,
    gatewayRef: r.gateway_ref,
    declineReason: r.decline_reason,
    declineCode: r.decline_code,
    providerCallId: r.provider_call_id,
    idempotencyKey: r.idempotency_key,
    attemptedAt: r.attempted_at,
    refundedAt: r.refunded_at ?? null,
    refundReason: r.refund_reason ?? null,
  };
}

/** One attempt; null when unknown. */
export async function findAttempt(sql: Sql, id: string): Promise<PaymentAttempt | null> {
  const [row] = await sql`select * from payment.payment_attempt where id = ${id}`;
  return row ? toAttempt(row) : null;
}

/** The attempt recorded under an idempotency key; null when there is none yet. */
export async function attemptByKey(
  sql: Sql,
  tenant: string,
  key: string,
): Promise<PaymentAttempt | null> {
  const [row] = await sql`
    select * from payment.payment_attempt where tenant_id = ${tenant} and idempotency_key = ${key}`;
  return row ? toAttempt(row) : null;
}

/** The attempt a provider call (a Stripe PaymentIntent) was made for; null when none. */
export async function attemptByProviderCall(
  sql: Sql,
  providerCallId: string,
): Promise<PaymentAttempt | null> {
  const [row] = await sql`
    select * from payment.payment_attempt where provider_call_id = ${providerCallId}`;
  return row ? toAttempt(row) : null;
}

/** A page of a customer's attempts, newest first; no page means all of them. */
export async function customerAttempts(
  sql: Sql,
  customerId: string,
  page: { limit?: number; offset?: number } = {},
): Promise<PaymentAttempt[]> {
  const rows = await sql`
    select * from payment.payment_attempt where customer_id = ${customerId}
    order by attempted_at desc, length(id) desc, id desc
    ${page.limit === undefined ? sql`` : sql`limit ${page.limit}`}
    offset ${page.offset ?? 0}`;
  return rows.map(toAttempt);
}

/** How many attempts a customer has. */
export async function countAttempts(sql: Sql, customerId: string): Promise<number> {
  const [{ n }] = await sql`
    select count(*)::int as n from payment.payment_attempt where customer_id = ${customerId}`;
  return n;
}

/** Records an attempt with its final status. */
export async function insertAttempt(
  sql: Sql,
  a: PaymentAttempt & { tenant: string },
): Promise<PaymentAttempt> {
  const [row] = await sql`
    insert into payment.payment_attempt (id, customer_id, payment_method_id, amount, currency,
      purpose, status, gateway_ref, decline_reason, provider_call_id, decline_code,
      idempotency_key, attempted_at, tenant_id)
    values (${a.id}, ${a.customerId}, ${a.paymentMethodId}, ${a.amount}, ${a.currency},
      ${a.purpose}, ${a.status}, ${a.gatewayRef}, ${a.declineReason}, ${a.providerCallId},
      ${a.declineCode}, ${a.idempotencyKey}, ${a.attemptedAt}, ${a.tenant})
    returning *`;
  return toAttempt(row);
}

/** Marks an approved attempt refunded; returns it as it now is. */
export async function markRefunded(
  sql: Sql,
  id: string,
  refund: { ref: string | null; reason: string; at: Date },
): Promise<PaymentAttempt> {
  const [row] = await sql`
    update payment.payment_attempt set status = 'refunded', refunded_at = ${refund.at},
      refund_ref = ${refund.ref}, refund_reason = ${refund.reason}
    where id = ${id} returning *`;
  return toAttempt(row);
}
