/**
 * The request pipeline's checks: the session middleware (sole reader of the session cookie;
 * resolves, rotates, never blocks), CSRF on every POST (the session's secret, or the
 * anonymous double-submit cookie, plus a same-origin check), and the gates routes opt into —
 * `session`, `verified`, `linked` — which bounce to sign-in with a safe `next`.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { timingSafeEqual } from "node:crypto";
import { safeNext, sameHostReferer } from "./auth/next.ts";
import { resolveSession } from "./auth/sessions.ts";
import { newToken } from "./auth/secrets.ts";
import { CSRF_COOKIE, putCookie, SESSION_COOKIE } from "./cookies.ts";
import type { PortalEnv } from "./env.ts";

/** The client's address as this process saw it. */
function ipOf(c: Context<PortalEnv>): string {
  // deno-lint-ignore no-explicit-any
  const info = (c.env as any)?.remoteAddr;
  return info?.hostname ?? "unknown";
}

/** Resolves the session cookie (rotating it when due) and the anonymous CSRF secret. */
export const sessionMiddleware: MiddlewareHandler<PortalEnv> = async (c, next) => {
  const portal = c.get("portal");
  c.set("ip", ipOf(c));
  const id = getCookie(c, SESSION_COOKIE);
  const ttl = portal.config.BSS_PORTAL_SESSION_TTL_S;
  if (id && /^[\w-]{16,64}$/.test(id)) {
    const session = await resolveSession(portal.sql, id, ttl, {
      ip: c.get("ip"),
      userAgent: c.req.header("user-agent"),
    });
    if (session) {
      c.set("session", session);
      if (session.rotatedTo) putCookie(c, SESSION_COOKIE, session.rotatedTo, ttl);
    }
  }
  let anon = getCookie(c, CSRF_COOKIE);
  if (!anon || !/^[\w-]{32}$/.test(anon)) {
    anon = newToken();
    if (!c.get("session")) putCookie(c, CSRF_COOKIE, anon, 86_400);
  }
  c.set("anonCsrf", anon);
  await next();
};

function sameSecret(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The refusal (403) of a POST from another origin or without `expected` as its form's `csrf`
 * field; undefined when it may go on. Both portals' forms are checked by it.
 */
export async function csrfRefusal(c: Context, expected: string): Promise<Response | undefined> {
  const origin = c.req.header("origin");
  if (origin && origin !== "null" && origin !== new URL(c.req.url).origin) {
    return c.text("Forbidden: cross-site request", 403);
  }
  const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const sent = typeof body.csrf === "string" ? body.csrf : "";
  if (!sent || !expected || !sameSecret(sent, expected)) {
    return c.text("Forbidden: this form has expired; go back, reload and try again.", 403);
  }
  return undefined;
}

/** Refuses a POST (403) without the right CSRF secret or from another origin. */
export const csrfMiddleware: MiddlewareHandler<PortalEnv> = async (c, next) => {
  if (c.req.method !== "POST") return await next();
  const expected = c.get("session")?.csrf ?? getCookie(c, CSRF_COOKIE) ?? "";
  return await csrfRefusal(c, expected) ?? await next();
};

/** Where a bounced request should come back to: a GET page. */
export function returnPath(c: Context<PortalEnv>): string {
  const url = new URL(c.req.url);
  const here = safeNext(url.pathname + url.search);
  if (c.req.method !== "POST") return here;
  return sameHostReferer(c.req.header("referer"), c.req.url) ?? here;
}

/** What a gate requires. */
export type GateLevel = "session" | "verified" | "linked";

/** A route gate: bounces to sign-in (or, unlinked, to the account page) when not met. */
export function gate(level: GateLevel): MiddlewareHandler<PortalEnv> {
  return async (c, next) => {
    const session = c.get("session");
    const login = `/auth/login?next=${encodeURIComponent(returnPath(c))}`;
    if (!session) return c.redirect(login, 303);
    if (level !== "session" && !session.verified) return c.redirect(login, 303);
    if (level === "linked" && !session.customerId) return c.redirect("/?flash=no_account", 303);
    await next();
  };
}

/** The signed-in customer of a `linked` route. */
export function customerOf(c: Context<PortalEnv>): string {
  const id = c.get("session")?.customerId;
  if (!id) throw new Error("customerOf outside a linked gate");
  return id;
}
