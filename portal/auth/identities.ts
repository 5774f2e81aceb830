/**
 * Portal identities: an email address that signs in, linked to at most one CRM customer.
 * Linking happens once (auto-link at first verified login when CRM knows the email, or at
 * signup); a linked identity is never relinked to another customer.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import { newId } from "./secrets.ts";

/** An identity row. */
export interface Identity {
  id: string;
  email: string;
  customer_id: string | null;
}

/** The live identity of `email`, or undefined. */
export async function identityByEmail(sql: Sql, email: string): Promise<Identity | undefined> {
  const [row] = await sql<Identity[]>`
    select id, email, customer_id from portal_auth.identity
    where email = ${email} and status <> 'deleted'`;
  return row;
}

/** The identity of `email`, created `unverified` when there is none. */
export async function findOrCreateIdentity(sql: Sql, email: string): Promise<Identity> {
  await sql`
    insert into portal_auth.identity (id, email) values (${newId("IDN")}, ${email})
    on conflict (tenant_id, email) where status <> 'deleted' do nothing`;
  return (await identityByEmail(sql, email))!;
}

/** Marks a verified sign-in: `email_verified_at` once, status, `last_login_at`. */
export async function markSignedIn(sql: Sql, identityId: string): Promise<void> {
  await sql`
    update portal_auth.identity set
      email_verified_at = coalesce(email_verified_at, kernel.bss_now()),
      status = case when customer_id is null then 'verified' else 'registered' end,
      last_login_at = kernel.bss_now()
    where id = ${identityId}`;
}

/** Links `identityId` to `customerId` unless it is linked already; whether it is now so. */
export async function linkIdentity(
  sql: Sql,
  identityId: string,
  customerId: string,
): Promise<boolean> {
  const [row] = await sql<{ customer_id: string }[]>`
    update portal_auth.identity
    set customer_id = coalesce(customer_id, ${customerId}),
      status = case when email_verified_at is null then status else 'registered' end
    where id = ${identityId}
    returning customer_id`;
  return row?.customer_id === customerId;
}
