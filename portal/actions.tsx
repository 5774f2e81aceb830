/**
 * One `portal_action` row per self-serve write (success or failure, with the rule and
 * whether a step-up grant was spent), and the refusal page a policy violation becomes: a
 * fixed sentence for the rule (422), 403 when the resource is not the customer's, 400 when the
 * request itself lacked a field or held a value no tool takes.
 *
 * @module
 */
import type { Context } from "hono";
import { z } from "zod";
import { HttpError } from "../http/errors.ts";
import { NotFound, PolicyViolation } from "../kernel/errors.ts";
import { log } from "../kernel/log.ts";
import type { PortalEnv } from "./env.ts";
import { INVALID_REQUEST, sentenceFor } from "./messages.ts";
import { page } from "./render.tsx";

/** Records what a self-serve write did (errors swallowed: audit never breaks the page). */
export async function recordAction(
  c: Context<PortalEnv>,
  action: string,
  outcome: { success: boolean; rule?: string },
): Promise<void> {
  const session = c.get("session");
  await c.get("portal").sql`
    insert into portal_auth.portal_action (customer_id, identity_id, action, route, method,
      success, error_rule, step_up_consumed, ip, user_agent)
    values (${session?.customerId ?? null}, ${session?.identityId ?? null}, ${action},
      ${c.req.path}, ${c.req.method}, ${outcome.success}, ${outcome.rule ?? null},
      ${c.get("stepUpConsumed") ?? false}, ${c.get("ip")}, ${c.req.header("user-agent") ?? null})`
    .catch((e) => log.warn("portal.audit_failed", { error: String(e) }));
}

/** Whether a rule says the resource is not the customer's. */
export function isOwnershipRule(rule: string): boolean {
  return rule.includes("not_owned") || rule === "chat.no_actor_bound";
}

/** The page for a refused action (`e` a PolicyViolation or NotFound), audited. */
export async function refusal(
  c: Context<PortalEnv>,
  action: string,
  e: unknown,
): Promise<Response> {
  // Not found and the services' owner check (403) read the same as "not yours".
  const notYours = e instanceof NotFound || (e instanceof HttpError && e.status === 403);
  // A form or address missing a field, or holding a value no tool takes: the sender's mistake.
  const invalid = e instanceof z.ZodError ||
    (e instanceof HttpError && e.code === "VALIDATION_ERROR");
  const rule = e instanceof PolicyViolation
    ? e.rule
    : notYours
    ? "policy.subscription.not_owned_by_actor"
    : invalid
    ? INVALID_REQUEST
    : undefined;
  if (!rule) throw e;
  await recordAction(c, action, { success: false, rule });
  const status = isOwnershipRule(rule) ? 403 : rule === INVALID_REQUEST ? 400 : 422;
  return page(
    c,
    "Not done",
    <section class="card">
      <h1>{status === 403 ? "Not available" : "That did not go through"}</h1>
      <p class="form-flash error" role="alert">{sentenceFor(rule)}</p>
      <p>
        <a href="/">Back to your account</a>
      </p>
    </section>,
    status,
  );
}
