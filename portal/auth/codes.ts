/**
 * One-time codes in `portal_auth.login_token`: a login issues a 6-digit code and a magic
 * link together (one `issue_id`: using either consumes both), a step-up issues a code bound
 * to its action label, and a verified step-up mints a grant for that label. Every check
 * compares against all candidate rows in constant time; five wrong tries retire the codes.
 *
 * @module
 */
import type { Pool, Sql } from "../../kernel/db/types.ts";
import { digestOf, matches, newCode, newId, newToken } from "./secrets.ts";

/** How a verification ended (the attempt log's outcomes). */
export type Outcome = "success" | "wrong_code" | "expired" | "no_active_token";

/** Wrong tries after which the codes of an issue stop working (a fresh code is needed). */
export const MAX_WRONG_TRIES = 5;

/** Issues a login code and magic-link token for `identityId`; returns both in clear. */
export async function issueLogin(
  sql: Sql,
  pepper: string,
  identityId: string,
  ttlSeconds: number,
): Promise<{ otp: string; link: string }> {
  const otp = newCode();
  const link = newToken();
  const issue = newId("ISS");
  await sql`
    insert into portal_auth.login_token (id, identity_id, issue_id, kind, code_hash, expires_at)
    values
      (${newId("LTK")}, ${identityId}, ${issue}, 'otp', ${digestOf(pepper, otp)},
        kernel.bss_now() + make_interval(secs => ${ttlSeconds})),
      (${newId("LTK")}, ${identityId}, ${issue}, 'magic_link', ${digestOf(pepper, link)},
        kernel.bss_now() + make_interval(secs => ${ttlSeconds}))`;
  return { otp, link };
}

/** Stores the digest of `secret` as a one-issue token of `kind` for `label`. */
async function insertLabelled(
  sql: Sql,
  pepper: string,
  t: { identityId: string; kind: "step_up" | "step_up_grant"; label: string; ttlSeconds: number },
  secret: string,
): Promise<string> {
  await sql`
    insert into portal_auth.login_token
      (id, identity_id, issue_id, kind, code_hash, action_label, expires_at)
    values (${newId("LTK")}, ${t.identityId}, ${newId("ISS")}, ${t.kind},
      ${digestOf(pepper, secret)}, ${t.label},
      kernel.bss_now() + make_interval(secs => ${t.ttlSeconds}))`;
  return secret;
}

/** Issues a step-up code for `label`; returns it in clear. */
export function issueStepUp(
  sql: Sql,
  pepper: string,
  identityId: string,
  label: string,
  ttlSeconds: number,
): Promise<string> {
  return insertLabelled(sql, pepper, { identityId, kind: "step_up", label, ttlSeconds }, newCode());
}

/**
 * Checks `secret` against the open codes of `identityId` of `kinds` (and `label`); on a
 * match consumes every code of that issue.
 */
export function verifyCode(
  sql: Pool,
  pepper: string,
  q: { identityId: string; kinds: string[]; label?: string; secret: string },
): Promise<Outcome> {
  return sql.begin(async (tx) => {
    const rows: { id: string; issue_id: string; code_hash: string; live: boolean }[] = await tx<
      { id: string; issue_id: string; code_hash: string; live: boolean }[]
    >`
      select id, issue_id, code_hash, expires_at > kernel.bss_now() as live
      from portal_auth.login_token
      where identity_id = ${q.identityId} and kind = any(${q.kinds}) and consumed_at is null
        and action_label is not distinct from ${q.label ?? null}
      for update`;
    if (rows.length === 0) return "no_active_token";
    const live = rows.filter((r) => r.live);
    if (live.length === 0) return "expired";
    let hit: string | undefined;
    for (const r of live) if (matches(pepper, q.secret, r.code_hash)) hit ??= r.issue_id;
    if (hit) {
      await tx`
        update portal_auth.login_token set consumed_at = kernel.bss_now()
        where issue_id = ${hit} and consumed_at is null`;
      return "success";
    }
    await tx`
      update portal_auth.login_token
      set wrong_attempts = wrong_attempts + 1,
        consumed_at = case when wrong_attempts + 1 >= ${MAX_WRONG_TRIES}
          then kernel.bss_now() end
      where id = any(${live.map((r) => r.id)})`;
    return "wrong_code";
  }) as Promise<Outcome>;
}

/** Mints a step-up grant for `label`; returns the token for the grant cookie. */
export function issueGrant(
  sql: Sql,
  pepper: string,
  identityId: string,
  label: string,
  ttlSeconds: number,
): Promise<string> {
  const t = { identityId, kind: "step_up_grant" as const, label, ttlSeconds };
  return insertLabelled(sql, pepper, t, newToken());
}

/** Consumes a grant for `label` held by `identityId`, once: whether there was one. */
export async function consumeGrant(
  sql: Sql,
  pepper: string,
  identityId: string,
  label: string,
  token: string,
): Promise<boolean> {
  const [row] = await sql`
    update portal_auth.login_token set consumed_at = kernel.bss_now()
    where identity_id = ${identityId} and kind = 'step_up_grant' and action_label = ${label}
      and code_hash = ${digestOf(pepper, token)} and consumed_at is null
      and expires_at > kernel.bss_now()
    returning id`;
  return row !== undefined;
}
