/**
 * The owner check of a bound self-serve call (`http/scopes.ts`): the customer the request is
 * about — named directly, or the owner of the subscription, order, case, payment method or
 * eSIM it names — must be the customer the caller asserted. One read per call, on the shared
 * database; anything not proven the caller's is refused, unknown ids included, so a portal
 * token learns nothing about other customers' ids.
 *
 * @module
 */
import type { Pool } from "../../kernel/db/types.ts";
import { HttpError } from "../errors.ts";
import type { Binding, Owned } from "../scopes.ts";

type OwnerQuery = (sql: Pool, id: string) => Promise<Array<{ customer_id: string }>>;

const OWNER: Record<Exclude<Owned, "customer">, OwnerQuery> = {
  subscription: (sql, id) =>
    sql`select customer_id from subscription.subscription where id = ${id}`,
  order: (sql, id) => sql`select customer_id from order_mgmt.product_order where id = ${id}`,
  case: (sql, id) => sql`select customer_id from crm.case where id = ${id}`,
  paymentMethod: (sql, id) => sql`select customer_id from payment.payment_method where id = ${id}`,
  esim: (sql, id) =>
    sql`select customer_id from subscription.subscription where iccid = ${id}
        order by created_at desc limit 1`,
};

/** The customer a request is about, per its binding, or undefined when it names none. */
async function customerOf(sql: Pool, bind: Binding, input: Record<string, unknown>) {
  const part = input[bind.from] as Record<string, unknown> | undefined;
  const id = part?.[bind.key];
  if (typeof id !== "string" || id === "") return undefined;
  if (bind.owns === "customer") return id;
  const [row] = await OWNER[bind.owns](sql, id);
  return row?.customer_id;
}

/** Throws 403 FORBIDDEN_CUSTOMER unless the request is about `customer` (the asserted one). */
export async function checkOwner(
  sql: Pool,
  bind: Binding,
  input: Record<string, unknown>,
  customer: string | undefined,
): Promise<void> {
  const about = await customerOf(sql, bind, input);
  if (customer !== undefined && about === customer) return;
  throw new HttpError(403, {
    code: "FORBIDDEN_CUSTOMER",
    message: customer === undefined
      ? "this identity acts only for the customer it asserts in X-BSS-Actor, and asserted none"
      : `${bind.from}.${bind.key} is not ${customer}'s`,
  });
}
