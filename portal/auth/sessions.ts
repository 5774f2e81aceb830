/**
 * Portal sessions in Postgres: the cookie holds the row id. A session is live while not
 * revoked, not expired and its identity not deleted; hits bump `last_seen_at` at most once a
 * minute. Past half its life a session is rotated: a fresh row (fresh TTL, same CSRF secret so
 * open forms stay valid), the old one revoked.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import { newToken } from "./secrets.ts";

/** A resolved session with its identity. */
export interface Session {
  id: string;
  identityId: string;
  email: string;
  customerId: string | null;
  verified: boolean;
  csrf: string;
  /** Set when this request rotated the session: the new cookie value. */
  rotatedTo?: string;
}

/** Opens a session for `identityId`; returns its id (the cookie value). */
export async function openSession(
  sql: Sql,
  identityId: string,
  ttlSeconds: number,
  from: { ip?: string; userAgent?: string },
  csrf = newToken(),
): Promise<string> {
  const id = newToken();
  await sql`
    insert into portal_auth.session (id, identity_id, expires_at, ip, user_agent, csrf_token)
    values (${id}, ${identityId}, kernel.bss_now() + make_interval(secs => ${ttlSeconds}),
      ${from.ip ?? null}, ${from.userAgent ?? null}, ${csrf})`;
  return id;
}

/** How stale `last_seen_at` may get: a page view is a read, not a write, within it. */
const SEEN_EVERY_S = 60;

/** The live session `id`, rotated when past half life; undefined when not live. */
export async function resolveSession(
  sql: Sql,
  id: string,
  ttlSeconds: number,
  from: { ip?: string; userAgent?: string },
): Promise<Session | undefined> {
  const [row] = await sql<
    {
      identity_id: string;
      email: string;
      customer_id: string | null;
      verified: boolean;
      csrf_token: string;
      aged: boolean;
      stale: boolean;
    }[]
  >`
    select s.identity_id, i.email, i.customer_id, i.email_verified_at is not null as verified,
      s.csrf_token,
      kernel.bss_now() - s.issued_at >= make_interval(secs => ${ttlSeconds / 2}) as aged,
      kernel.bss_now() - s.last_seen_at >= make_interval(secs => ${SEEN_EVERY_S}) as stale
    from portal_auth.session s join portal_auth.identity i on i.id = s.identity_id
    where s.id = ${id} and s.revoked_at is null
      and s.expires_at > kernel.bss_now() and i.status <> 'deleted'`;
  if (!row) return undefined;
  if (row.stale) {
    await sql`update portal_auth.session set last_seen_at = kernel.bss_now() where id = ${id}`;
  }
  const session: Session = {
    id,
    identityId: row.identity_id,
    email: row.email,
    customerId: row.customer_id,
    verified: row.verified,
    csrf: row.csrf_token,
  };
  if (row.aged) {
    session.rotatedTo = await openSession(sql, row.identity_id, ttlSeconds, from, row.csrf_token);
    await revokeSession(sql, id);
    session.id = session.rotatedTo;
  }
  return session;
}

/** Revokes session `id` (logout, rotation). */
export async function revokeSession(sql: Sql, id: string): Promise<void> {
  await sql`
    update portal_auth.session set revoked_at = kernel.bss_now()
    where id = ${id} and revoked_at is null`;
}
