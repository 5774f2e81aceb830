/**
 * Step-up: every money-moving or destructive self-serve POST needs a fresh one-time code
 * for its action label (a closed catalogue; an unknown label fails when the route is built).
 * Without a grant the gate stashes the form — only the fields its label allowlists, never
 * card data — and sends the customer to confirm; the verified code mints a grant (cookie,
 * 60 s, one use, one label) and the stashed form is replayed once. The stash is keyed by
 * identity, so it survives session rotation.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { Pool, Sql } from "../../kernel/db/types.ts";
import { clearCookie, STEP_UP_COOKIE } from "../cookies.ts";
import type { PortalEnv } from "../env.ts";
import { returnPath } from "../gates.ts";
import { consumeGrant } from "./codes.ts";
import { newId } from "./secrets.ts";

/** Each action label and the form fields its stash may keep. */
export const STEP_UP_FIELDS = {
  vas_purchase: ["vas_offering_id"],
  payment_method_add: [],
  payment_method_remove: [],
  payment_method_set_default: [],
  subscription_terminate: [],
  email_change: ["new_email"],
  phone_update: ["cm_id", "value"],
  address_update: ["cm_id", "value"],
  name_update: ["given_name", "family_name"],
  plan_change_schedule: ["new_offering_id"],
  plan_change_cancel: ["subscription_id"],
} as const satisfies Record<string, readonly string[]>;

/** A step-up action label. */
export type StepUpLabel = keyof typeof STEP_UP_FIELDS;

/** Whether `label` is in the catalogue. */
export function isStepUpLabel(label: string): label is StepUpLabel {
  return Object.hasOwn(STEP_UP_FIELDS, label);
}

/** Labels the routes used, to check every catalogued label is used (tests). */
export const USED_LABELS = new Set<StepUpLabel>();

/** The grant a request presents (header, form field or cookie), unchecked. */
export function presentedGrant(
  c: Context<PortalEnv>,
  form: Record<string, unknown>,
): string | undefined {
  const header = c.req.header("x-bss-stepup-token") ?? c.req.header("x-bss-step-up-token");
  const field = typeof form.step_up_token === "string" ? form.step_up_token : undefined;
  return header ?? field ?? getCookie(c, STEP_UP_COOKIE);
}

/** Replaces the open stash of (`identityId`, `label`) with this form. */
async function stash(
  sql: Pool,
  identityId: string,
  label: StepUpLabel,
  target: string,
  form: Record<string, unknown>,
  ttlSeconds: number,
): Promise<void> {
  const kept = Object.fromEntries(
    (STEP_UP_FIELDS[label] as readonly string[]).filter((k) => typeof form[k] === "string")
      .map((k) => [k, form[k] as string]),
  );
  await sql.begin(async (tx) => {
    await tx`
      update portal_auth.step_up_pending_action set consumed_at = kernel.bss_now()
      where identity_id = ${identityId} and action_label = ${label} and consumed_at is null`;
    await tx`
      insert into portal_auth.step_up_pending_action
        (id, identity_id, action_label, target_url, payload_json, expires_at)
      values (${newId("SUP")}, ${identityId}, ${label}, ${target}, ${tx.json(kept)},
        kernel.bss_now() + make_interval(secs => ${ttlSeconds}))`;
  });
}

/** Takes the open, unexpired stash of (`identityId`, `label`), once. */
export async function takeStash(
  sql: Sql,
  identityId: string,
  label: StepUpLabel,
): Promise<{ target: string; fields: Record<string, string> } | undefined> {
  const [row] = await sql<{ target_url: string; payload_json: Record<string, string> }[]>`
    update portal_auth.step_up_pending_action set consumed_at = kernel.bss_now()
    where identity_id = ${identityId} and action_label = ${label} and consumed_at is null
      and expires_at > kernel.bss_now()
    returning target_url, payload_json`;
  return row && { target: row.target_url, fields: row.payload_json };
}

/** The gate of a POST needing step-up `label` (after the `linked` gate). */
export function stepUp(label: StepUpLabel): MiddlewareHandler<PortalEnv> {
  if (!isStepUpLabel(label)) throw new Error(`step-up: unknown label ${label}`);
  USED_LABELS.add(label);
  return async (c, next) => {
    const { sql, pepper, config } = c.get("portal");
    const session = c.get("session")!;
    const form = await c.req.parseBody();
    const grant = presentedGrant(c, form);
    if (grant && await consumeGrant(sql, pepper, session.identityId, label, grant)) {
      clearCookie(c, STEP_UP_COOKIE);
      c.set("stepUpConsumed", true);
      return await next();
    }
    const url = new URL(c.req.url);
    const target = url.pathname + url.search;
    await stash(
      sql,
      session.identityId,
      label,
      target,
      form,
      config.BSS_PORTAL_STEPUP_PENDING_TTL_S,
    )
      .catch(() => {});
    const back = encodeURIComponent(returnPath(c));
    return c.redirect(`/auth/step-up?action=${label}&next=${back}`, 303);
  };
}
