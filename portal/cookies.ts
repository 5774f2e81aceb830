/**
 * The portal's cookies: the session (`bss_portal_session`), the step-up grant
 * (`bss_portal_step_up`) and the anonymous CSRF secret (`bss_portal_csrf`). All `HttpOnly`,
 * `SameSite=Lax`, `Path=/`, and `Secure` unless `BSS_PORTAL_DEV_INSECURE_COOKIE` is set.
 *
 * @module
 */
import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import type { PortalEnv } from "./env.ts";

/** The session cookie's name. */
export const SESSION_COOKIE = "bss_portal_session";
/** The step-up grant cookie's name. */
export const STEP_UP_COOKIE = "bss_portal_step_up";
/** The anonymous CSRF cookie's name. */
export const CSRF_COOKIE = "bss_portal_csrf";

function attributes(c: Context<PortalEnv>) {
  return {
    path: "/",
    httpOnly: true,
    sameSite: "Lax" as const,
    secure: !c.get("portal").config.BSS_PORTAL_DEV_INSECURE_COOKIE,
  };
}

/** Sets cookie `name` to `value` for `maxAge` seconds. */
export function putCookie(c: Context<PortalEnv>, name: string, value: string, maxAge: number) {
  setCookie(c, name, value, { ...attributes(c), maxAge });
}

/** Clears cookie `name` (empty value, `Max-Age=0`, 1970 expiry). */
export function clearCookie(c: Context<PortalEnv>, name: string) {
  deleteCookie(c, name, { ...attributes(c), expires: new Date(0) });
}
