/**
 * The append-only attempt log and the rate limits counted from it (per email, per IP, per
 * session for step-up starts), over a sliding window on the BSS clock.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";

/** What is counted. */
export type Stage = "login_start" | "login_verify" | "step_up_start" | "step_up_verify";

/** Appends one attempt. */
export async function recordAttempt(
  sql: Sql,
  a: { stage: Stage; email?: string; ip?: string; outcome: string },
): Promise<void> {
  await sql`
    insert into portal_auth.login_attempt (email, ip, outcome, stage)
    values (${a.email ?? null}, ${a.ip ?? null}, ${a.outcome}, ${a.stage})`;
}

/** Whether `stage` attempts by `by` within the window reached `max`. */
export async function overLimit(
  sql: Sql,
  stage: Stage,
  by: { email: string } | { ip: string },
  max: number,
  windowSeconds: number,
): Promise<boolean> {
  const [{ n }] = "email" in by
    ? await sql<{ n: number }[]>`
      select count(*)::int as n from portal_auth.login_attempt
      where stage = ${stage} and email = ${by.email}
        and ts > kernel.bss_now() - make_interval(secs => ${windowSeconds})`
    : await sql<{ n: number }[]>`
      select count(*)::int as n from portal_auth.login_attempt
      where stage = ${stage} and ip = ${by.ip}
        and ts > kernel.bss_now() - make_interval(secs => ${windowSeconds})`;
  return n >= max;
}
