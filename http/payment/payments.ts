/**
 * TMF676 payments (docs/http.md §7): charges against a card on file, and their history.
 *
 * @module
 */
import type { Context } from "hono";
import { z } from "zod";
import { wholeNumber } from "../paging.ts";
import { charge, countPayments, getPayment, listPayments } from "../../actors/payment/charges.ts";
import type { PaymentOptions } from "../../actors/payment/options.ts";
import { refundByKey } from "../../actors/payment/refunds.ts";
import type { AppEnv, Deps } from "../env.ts";
import { issuesOf, ValidationError } from "../errors.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { IdempotencyKey, NewPayment, Payment } from "./schemas.ts";
import { PAYMENTS, paymentWire } from "./wire.ts";

const ByCustomer = z.object({ customerId: z.string().min(1) });

/** `POST …/payment`. */
export const createPayment = defineRoute({
  method: "POST",
  path: PAYMENTS,
  summary: "Charge a card on file; a decline is still 201 with status declined. " +
    "A repeated idempotency key (body idempotencyKey or Idempotency-Key header) returns the " +
    "first attempt",
  body: NewPayment,
  response: Payment,
  status: 201,
});

/** `POST …/payment/refund`. */
export const refundPayment = defineRoute({
  method: "POST",
  path: `${PAYMENTS}/refund`,
  summary: "Refund the approved charge made under an idempotency key (a compensation); " +
    "repeats answer the same refund. payment null when no charge was made under the key",
  body: z.object({ idempotencyKey: IdempotencyKey, reason: z.string().min(1).max(200) }),
  response: z.object({ payment: Payment.nullable() }),
});

/** `GET …/payment/count?customerId=`. */
export const countCustomerPayments = defineRoute({
  method: "GET",
  path: `${PAYMENTS}/count`,
  summary: "How many charge attempts a customer has",
  query: ByCustomer,
  response: z.object({ count: z.number().int() }),
});

/** `GET …/payment/{id}`. */
export const getPaymentAttempt = defineRoute({
  method: "GET",
  path: `${PAYMENTS}/:id`,
  summary: "One charge attempt",
  params: z.object({ id: z.string() }),
  response: Payment,
});

/** `GET …/payment?customerId=&limit=&offset=`. */
export const listCustomerPayments = defineRoute({
  method: "GET",
  path: PAYMENTS,
  summary: "A customer's charge attempts, newest first (no limit: all of them)",
  query: ByCustomer.extend({
    limit: wholeNumber().min(1).max(1000).optional(),
    offset: wholeNumber().min(0).optional(),
  }),
  response: z.array(Payment),
});

/** The idempotency key of a charge: the body's, or the `Idempotency-Key` header's. */
function idempotencyKeyOf(
  fromBody: string | undefined,
  c: Context<AppEnv>,
): string | undefined {
  const header = c.req.header("idempotency-key");
  if (header === undefined) return fromBody;
  const parsed = IdempotencyKey.safeParse(header);
  const issues = parsed.success ? [] : issuesOf(parsed.error);
  if (parsed.success && fromBody !== undefined && fromBody !== parsed.data) {
    issues.push({ path: [], message: "differs from the body's idempotencyKey" });
  }
  if (issues.length) {
    throw new ValidationError(
      issues.map((i) => ({ ...i, path: ["headers", "Idempotency-Key", ...i.path] })),
    );
  }
  return parsed.data;
}

/** The payment endpoints (`/payment/count` before `/payment/:id`). */
export function paymentEndpoints({ sql }: Pick<Deps, "sql">, options: PaymentOptions): Endpoint[] {
  return [
    endpoint(createPayment, async ({ body }, c) => {
      const idempotencyKey = idempotencyKeyOf(body.idempotencyKey, c);
      const attempt = await charge(sql, options, { ...body, idempotencyKey });
      const wire = paymentWire(attempt);
      c.header("Location", wire.href);
      return wire;
    }),
    endpoint(refundPayment, async ({ body }) => {
      const attempt = await refundByKey(sql, options, body.idempotencyKey, body.reason);
      return { payment: attempt && paymentWire(attempt) };
    }),
    endpoint(
      countCustomerPayments,
      async ({ query }) => ({ count: await countPayments(sql, query.customerId) }),
    ),
    endpoint(
      getPaymentAttempt,
      async ({ params }) => paymentWire(await getPayment(sql, params.id)),
    ),
    endpoint(listCustomerPayments, async ({ query }) => {
      const { customerId, limit, offset } = query;
      return (await listPayments(sql, customerId, { limit, offset })).map(paymentWire);
    }),
  ];
}
