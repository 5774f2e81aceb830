/**
 * Caller context (docs/http.md §3.3–3.4, README "Identity you cannot forge"): the service identity
 * from the perimeter, actor and channel from `X-BSS-Actor`/`X-BSS-Channel` only when the
 * identity may assert them, the tenant from the identity (`BSS_<NAME>_API_TENANT`), never from
 * a header. The rest of the request runs inside it, so every audit row, log line and actor
 * message written on its behalf is attributed.
 *
 * Who may assert what (the assertion scopes of `kernel/tokens.ts`):
 * - `relay` (the services' own hops, `service`): any well-formed actor and channel — it relays
 *   the caller it serves (the CLI's operator, a scenario, the portal's customer).
 * - `assert_operator` (the CLI `operator_cli`, the cockpit): an operator as actor (not a
 *   customer id), on `cli`, `llm`, `portal-csr` or `scenario`.
 * - `assert_customer` (the portal): its signed-in customer (`CUST-…`), the verified email it
 *   signs in (to find that email's customer), or `portal-anon`, on `portal-self-serve` or
 *   `portal-chat`.
 * An identity with none of them (`default`, the token an operator or integration holds)
 * asserts nothing.
 * Anything else — malformed, too long, holding a card number, not the identity's to assert —
 * is ignored and the identity's own name is recorded as the actor.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { SYSTEM, withCaller } from "../../kernel/context.ts";
import { containsPan } from "../../kernel/pan.ts";
import type { Scope } from "../../kernel/tokens.ts";
import type { AppEnv } from "../env.ts";

/** Printable, no whitespace or quotes, ≤ 128: ids, `scenario:<name>`, `llm-<model>`, emails. */
const ACTOR = /^[A-Za-z0-9][A-Za-z0-9._:@+\/-]{0,127}$/;
const CHANNEL = /^[a-z][a-z0-9:_-]{0,63}$/;
const CUSTOMER = /^CUST-[A-Za-z0-9-]{1,64}$/;
const EMAIL = /^[^@]+@[^@]+\.[^@]+$/;

const OPERATOR_CHANNELS = new Set(["cli", "llm", "portal-csr", "scenario"]);
const PORTAL_CHANNELS = new Set(["portal-self-serve", "portal-chat"]);

/** Whether an identity with `scopes` may assert `actor`. */
function mayAssertActor(scopes: readonly Scope[], actor: string): boolean {
  if (!ACTOR.test(actor) || containsPan(actor)) return false;
  if (scopes.includes("relay")) return true;
  if (scopes.includes("assert_operator") && !CUSTOMER.test(actor)) return true;
  if (scopes.includes("assert_customer")) {
    return CUSTOMER.test(actor) || EMAIL.test(actor) || actor === "portal-anon";
  }
  return false;
}

/** Whether an identity with `scopes` may assert `channel`. */
function mayAssertChannel(scopes: readonly Scope[], channel: string): boolean {
  if (!CHANNEL.test(channel)) return false;
  if (scopes.includes("relay")) return true;
  return (scopes.includes("assert_operator") && OPERATOR_CHANNELS.has(channel)) ||
    (scopes.includes("assert_customer") && PORTAL_CHANNELS.has(channel));
}

/** What an identity with `scopes` may assert, in words (`bss admin tokens`). */
export function assertions(scopes: readonly Scope[]): string {
  if (scopes.includes("relay")) return "any actor and channel (relays its caller)";
  const what = [
    scopes.includes("assert_operator") &&
    `an operator on ${[...OPERATOR_CHANNELS].join("/")}`,
    scopes.includes("assert_customer") &&
    `its CUST-…, verified email or portal-anon on ${[...PORTAL_CHANNELS].join("/")}`,
  ].filter(Boolean);
  return what.length ? what.join("; ") : "nothing (recorded as itself)";
}

/** The customer an identity acts for: its asserted actor when that is a customer id. */
export function assertedCustomer(actor: string): string | undefined {
  return CUSTOMER.test(actor) ? actor : undefined;
}

/** Runs the rest of the pipeline as the authenticated caller (exempt paths run as they are). */
export const caller: MiddlewareHandler<AppEnv> = async (c, next) => {
  const serviceIdentity = c.get("identity");
  if (serviceIdentity === undefined) return await next();
  const scopes = c.get("scopes") ?? [];
  const actorHeader = c.req.header("x-bss-actor")?.trim();
  const channelHeader = c.req.header("x-bss-channel")?.trim();
  let actor = "system";
  if (actorHeader) {
    actor = mayAssertActor(scopes, actorHeader) ? actorHeader : serviceIdentity;
    if (actor === actorHeader) c.set("actor", actor);
  }
  const channel = channelHeader && mayAssertChannel(scopes, channelHeader)
    ? channelHeader
    : "system";
  await withCaller({
    actor,
    channel,
    tenant: c.get("tenant") ?? SYSTEM.tenant,
    serviceIdentity,
    requestId: c.get("requestId"),
  }, next);
};
