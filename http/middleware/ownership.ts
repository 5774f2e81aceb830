/**
 * The owner check of a bound self-serve call (`http/scopes.ts`): the customer the request is
 * about — named directly, or the owner of the subscription, order, case, payment method or
 * eSIM it names — must be the customer the caller asserted (or, for the sign-in lookup by
 * email, the email it asserted). One read per call, on the shared database; anything not
 * proven the caller's is refused, unknown ids included, so a portal token learns nothing about
 * other customers' ids.
 *
 * @module
 */
import type { Pool } from "../../kernel/db/types.ts";
import { HttpError } from "../errors.ts";
import type { Binding, Owned } from "../scopes.ts";
import { assertedCustomer } from "./caller.ts";

type OwnerQuery = (sql: Pool, id: string) => Promise<Array<{ customer_id: string }>>;

const OWNER: Record<Exclude<Owned, "customer" | "email">, OwnerQuery> = {
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
async function customerOf(sql: Pool, bind: Binding, id: string) {
  if (bind.owns === "customer") return id;
  const [row] = await OWNER[bind.owns as keyof typeof OWNER](sql, id);
  return row?.customer_id;
}

/**
 * Throws 403 FORBIDDEN_CUSTOMER unless the request is about the caller's asserted `actor`:
 * its customer (`CUST-…`), or for an `email` binding the email it asserted.
 */
export async function checkOwner(
  sql: Pool,
  bind: Binding,
  input: Record<string, unknown>,
  actor: string,
): Promise<void> {
  const part = input[bind.from] as Record<string, unknown> | undefined;
  const named = part?.[bind.key];
  if (typeof named === "string" && named !== "") {
    if (bind.owns === "email") {
      if (named.trim().toLowerCase() === actor.toLowerCase()) return;
    } else {
      const customer = assertedCustomer(actor);
      if (customer !== undefined && await customerOf(sql, bind, named) === customer) return;
    }
  }
  throw new HttpError(403, {
    code: "FORBIDDEN_CUSTOMER",
    message: `this identity acts only for what it asserts in X-BSS-Actor; ` +
      `${bind.from}.${bind.key} is not that`,
  });
}
