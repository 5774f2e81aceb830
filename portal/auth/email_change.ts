/**
 * Email change: the code goes to the NEW address (stored as a digest, 24 h, at most one
 * pending per identity: a new start cancels the old), and nothing changes until it is
 * verified. Five wrong codes cancel the change. What changes on success (CRM's email medium,
 * then the sign-in email) is the route's; {@link commitEmailChange} is the last step.
 *
 * @module
 */
import type { Pool, Sql } from "../../kernel/db/types.ts";
import { MAX_WRONG_TRIES } from "./codes.ts";
import { digestOf, matches, newCode, newId } from "./secrets.ts";

/** How long the emailed code is good for. */
export const EMAIL_CHANGE_TTL_S = 86_400;

/** The outcome of a code check: on success, the pending change to apply. */
export type EmailChangeCheck =
  | { outcome: "success"; id: string; newEmail: string }
  | { outcome: "no_active_pending" | "expired" | "wrong_code" };

/** Starts a change of `identityId`'s email to `newEmail`; returns the code to send there. */
export async function startEmailChange(
  sql: Pool,
  pepper: string,
  identityId: string,
  newEmail: string,
): Promise<string> {
  const code = newCode();
  await sql.begin(async (tx) => {
    await tx`
      update portal_auth.email_change_pending
      set status = 'cancelled', resolved_at = kernel.bss_now()
      where identity_id = ${identityId} and status = 'pending'`;
    await tx`
      insert into portal_auth.email_change_pending (id, identity_id, new_email, code_hash,
        expires_at)
      values (${newId("ECP")}, ${identityId}, ${newEmail}, ${digestOf(pepper, code)},
        kernel.bss_now() + make_interval(secs => ${EMAIL_CHANGE_TTL_S}))`;
  });
  return code;
}

/** The address a pending, unexpired change of `identityId` goes to. */
export async function pendingEmail(sql: Sql, identityId: string): Promise<string | undefined> {
  const [row] = await sql<{ new_email: string }[]>`
    select new_email from portal_auth.email_change_pending
    where identity_id = ${identityId} and status = 'pending' and expires_at > kernel.bss_now()`;
  return row?.new_email;
}

/** Cancels the pending change of `identityId`, if any. */
export async function cancelEmailChange(sql: Sql, identityId: string): Promise<void> {
  await sql`
    update portal_auth.email_change_pending
    set status = 'cancelled', resolved_at = kernel.bss_now()
    where identity_id = ${identityId} and status = 'pending'`;
}

/** Checks `code` against the pending change of `identityId` (counting a wrong one). */
export function checkEmailChange(
  sql: Pool,
  pepper: string,
  identityId: string,
  code: string,
): Promise<EmailChangeCheck> {
  return sql.begin(async (tx) => {
    const [row] = await tx<
      { id: string; new_email: string; code_hash: string; live: boolean }[]
    >`
      select id, new_email, code_hash, expires_at > kernel.bss_now() as live
      from portal_auth.email_change_pending
      where identity_id = ${identityId} and status = 'pending'
      for update`;
    if (!row) return { outcome: "no_active_pending" };
    if (!row.live) {
      await tx`
        update portal_auth.email_change_pending
        set status = 'expired', resolved_at = kernel.bss_now() where id = ${row.id}`;
      return { outcome: "expired" };
    }
    if (matches(pepper, code, row.code_hash)) {
      return { outcome: "success", id: row.id, newEmail: row.new_email };
    }
    await tx`
      update portal_auth.email_change_pending
      set wrong_attempts = wrong_attempts + 1,
        status = case when wrong_attempts + 1 >= ${MAX_WRONG_TRIES} then 'cancelled' else status
          end,
        resolved_at = case when wrong_attempts + 1 >= ${MAX_WRONG_TRIES} then kernel.bss_now()
          end
      where id = ${row.id}`;
    return { outcome: "wrong_code" };
  }) as Promise<EmailChangeCheck>;
}

/**
 * Ends a verified change: the identity signs in with the new address and the pending row is
 * consumed, together. False when the row was no longer pending (a concurrent verify won).
 */
export function commitEmailChange(
  sql: Pool,
  change: { id: string; newEmail: string },
  identityId: string,
): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [row] = await tx`
      update portal_auth.email_change_pending
      set status = 'consumed', resolved_at = kernel.bss_now()
      where id = ${change.id} and status = 'pending'
      returning id`;
    if (!row) return false;
    await tx`update portal_auth.identity set email = ${change.newEmail} where id = ${identityId}`;
    return true;
  }) as Promise<boolean>;
}
