/**
 * SQL over `payment.provider_customer`: the provider's customer for each BSS customer.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";

/** The provider's customer reference for a BSS customer; null before its first card. */
export async function providerCustomer(
  sql: Sql,
  provider: string,
  customerId: string,
): Promise<string | null> {
  const [row] = await sql`
    select external_ref from payment.provider_customer
    where provider = ${provider} and customer_id = ${customerId}`;
  return row?.external_ref ?? null;
}

/** Keeps `ref` unless another was saved first; answers the one kept. */
export async function saveProviderCustomer(
  sql: Sql,
  provider: string,
  customerId: string,
  ref: string,
): Promise<string> {
  await sql`
    insert into payment.provider_customer (provider, customer_id, external_ref)
    values (${provider}, ${customerId}, ${ref})
    on conflict (provider, customer_id) do nothing`;
  return (await providerCustomer(sql, provider, customerId))!;
}
