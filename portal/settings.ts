/**
 * The portal's view of the configuration: what `kernel/config.ts` validated, plus the
 * checks only the portal cares about (its pepper) and the defaults that depend on where it
 * listens (its public URL, the dev mailbox under the data dir).
 *
 * @module
 */
import type { Context } from "hono";
import type { Config } from "../kernel/config.ts";
import type { PortalEnv } from "./env.ts";

/** The portal's port before `BSS_PORT_OFFSET`. */
export const PORTAL_PORT = 9001;

const PEPPER_MIN = 32;

/** Why the pepper is unusable (unset, the sentinel, too short), or undefined when it is fine. */
export function pepperProblem(config: Config): string | undefined {
  const pepper = config.BSS_PORTAL_TOKEN_PEPPER;
  if (!pepper) return "BSS_PORTAL_TOKEN_PEPPER is not set";
  if (pepper === "changeme") return 'BSS_PORTAL_TOKEN_PEPPER is the sentinel "changeme"';
  if (pepper.length < PEPPER_MIN) {
    return `BSS_PORTAL_TOKEN_PEPPER is shorter than ${PEPPER_MIN} characters`;
  }
  return undefined;
}

/** Where links in emails point: `BSS_PORTAL_PUBLIC_URL`, else this portal on localhost. */
export function publicUrl(config: Config): string {
  return (config.BSS_PORTAL_PUBLIC_URL ??
    `http://localhost:${PORTAL_PORT + config.BSS_PORT_OFFSET}`).replace(/\/+$/, "");
}

/**
 * Where a provider's page (Stripe's card entry) sends the customer back:
 * `BSS_PORTAL_PUBLIC_URL`, else the address this request came to (so the session cookie,
 * set for that host, comes back with them).
 */
export function returnBase(c: Context<PortalEnv>): string {
  return c.get("portal").config.BSS_PORTAL_PUBLIC_URL?.replace(/\/+$/, "") ??
    new URL(c.req.url).origin;
}

/**
 * Whether cards are entered at Stripe's own page (the Stripe gateway) rather than typed into
 * the portal's forms (the mock gateway's sandbox numbers).
 */
export function cardsAtStripe(config: Config): boolean {
  return config.BSS_PAYMENT_PROVIDER === "stripe";
}

/** The dev mailbox file of the `logging` email provider. */
export function mailboxPath(config: Config): string {
  return config.BSS_PORTAL_DEV_MAILBOX_PATH ?? `${config.BSS_DATA_DIR}/portal-mailbox.jsonl`;
}
