/**
 * SQL over `payment.payment_method`.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import type { NewMethod, PaymentMethod } from "./model.ts";

// deno-lint-ignore no-explicit-any
function toMethod(r: any): PaymentMethod {
  return {
    id: r.id,
    customerId: r.customer_id,
    type: r.type,
    token: r.token,
    tokenProvider: r.token_provider,
    card: { brand: r.brand, last4: r.last4, expMonth: r.exp_month, expYear: r.exp_year },
    isDefault: r.is_default,
    status: r.status,
    createdAt: r.created_at,
  };
}

/** One card, optionally locked for update; null when unknown. */
export async function findMethod(
  sql: Sql,
  id: string,
  lock: "none" | "share" | "update" = "none",
): Promise<PaymentMethod | null> {
  const suffix = { none: sql``, share: sql`for share`, update: sql`for update` }[lock];
  const [row] = await sql`select * from payment.payment_method where id = ${id} ${suffix}`;
  return row ? toMethod(row) : null;
}

/** The card on file under a provider token, in any state; null when none. */
export async function methodByToken(sql: Sql, token: string): Promise<PaymentMethod | null> {
  const [row] = await sql`select * from payment.payment_method where token = ${token}`;
  return row ? toMethod(row) : null;
}

/** The owner of a card (never changes, so it is safe to read before locking). */
export async function ownerOf(sql: Sql, id: string): Promise<string | null> {
  const [row] = await sql`select customer_id from payment.payment_method where id = ${id}`;
  return row?.customer_id ?? null;
}

/** A customer's active cards, newest first (ids break ties numerically). */
export async function activeMethods(sql: Sql, customerId: string): Promise<PaymentMethod[]> {
  const rows = await sql`
    select * from payment.payment_method
    where customer_id = ${customerId} and status = 'active'
    order by created_at desc, length(id) desc, id desc`;
  return rows.map(toMethod);
}

/** Inserts a card; null when its token is on file already (in any state). */
export async function insertMethod(
  sql: Sql,
  m: Required<NewMethod> & { id: string; isDefault: boolean; tenant: string; now: Date },
): Promise<PaymentMethod | null> {
  const [row] = await sql`
    insert into payment.payment_method (id, customer_id, token, token_provider, last4, brand,
      exp_month, exp_year, is_default, tenant_id, created_at, updated_at)
    values (${m.id}, ${m.customerId}, ${m.token}, ${m.tokenProvider}, ${m.card.last4},
      ${m.card.brand}, ${m.card.expMonth}, ${m.card.expYear}, ${m.isDefault}, ${m.tenant},
      ${m.now}, ${m.now})
    on conflict (token) do nothing
    returning *`;
  return row ? toMethod(row) : null;
}

/** Marks a card removed; it stops being the default. */
export async function markRemoved(sql: Sql, id: string, now: Date): Promise<PaymentMethod> {
  const [row] = await sql`
    update payment.payment_method set status = 'removed', is_default = false, updated_at = ${now}
    where id = ${id} returning *`;
  return toMethod(row);
}

/** Makes `id` the customer's only default card. */
export async function makeDefault(
  sql: Sql,
  customerId: string,
  id: string,
  now: Date,
): Promise<PaymentMethod> {
  await sql`
    update payment.payment_method set is_default = false, updated_at = ${now}
    where customer_id = ${customerId} and is_default and id <> ${id}`;
  const [row] = await sql`
    update payment.payment_method set is_default = true, updated_at = ${now}
    where id = ${id} returning *`;
  return toMethod(row);
}
