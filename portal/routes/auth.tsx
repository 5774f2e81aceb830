/**
 * Passwordless sign-in: an email gets a 6-digit code and a magic link (either signs in, and
 * using one retires both), rate-limited per email and per IP; verification is capped per
 * email and by wrong tries. Every failure shows one generic sentence. A verified sign-in
 * links the identity to the CRM customer with that email, when there is exactly one.
 *
 * @module
 */
import type { Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import { overLimit, recordAttempt } from "../auth/attempts.ts";
import { issueLogin, type Outcome, verifyCode } from "../auth/codes.ts";
import {
  findOrCreateIdentity,
  identityByEmail,
  linkIdentity,
  markSignedIn,
} from "../auth/identities.ts";
import { safeNext } from "../auth/next.ts";
import { openSession, revokeSession } from "../auth/sessions.ts";
import { clearCookie, putCookie, SESSION_COOKIE, STEP_UP_COOKIE } from "../cookies.ts";
import { CodeField } from "../components/code_field.tsx";
import type { PortalEnv } from "../env.ts";
import { SIGN_IN_FAILED, TOO_MANY } from "../messages.ts";
import { Form, page } from "../render.tsx";
import { publicUrl } from "../settings.ts";

/** Trimmed, lower-cased; undefined when it cannot be an address. */
export function normalEmail(raw: unknown): string | undefined {
  const email = String(raw ?? "").trim().toLowerCase();
  return email.length >= 3 && email.includes("@") && !/\s/.test(email) ? email : undefined;
}

/** `m***@example.com`. */
export function maskEmail(email: string): string {
  const [user, domain] = email.split("@");
  return `${user[0]}${"*".repeat(Math.max(user.length - 1, 1))}@${domain}`;
}

function LoginForm({ next, error }: { next: string; error?: string }) {
  return (
    <section class="card">
      <h1>Sign in</h1>
      <p>We email you a 6-digit code and a sign-in link. No password.</p>
      {error && <p class="form-flash error" role="alert">{error}</p>}
      <Form action="/auth/login">
        <input type="hidden" name="next" value={next} />
        <label for="email">Email address</label>
        <input id="email" name="email" type="email" autocomplete="email" required />
        <div class="actions">
          <button type="submit" class="auth-cta">Email me a code</button>
        </div>
      </Form>
    </section>
  );
}

function CodeForm({ email, next, error }: { email: string; next: string; error?: string }) {
  return (
    <section class="card">
      <h1>Check your email</h1>
      <p>We sent a code to {maskEmail(email)}. It works for 15 minutes.</p>
      {error && <p class="form-flash error" role="alert">{error}</p>}
      <Form action="/auth/check-email">
        <input type="hidden" name="email" value={email} />
        <input type="hidden" name="next" value={next} />
        <CodeField />
        <div class="actions">
          <button type="submit" class="auth-cta">Sign in</button>
          <a class="button secondary" href={`/auth/login?next=${encodeURIComponent(next)}`}>
            Send a new code
          </a>
        </div>
      </Form>
    </section>
  );
}

/** Verifies a code or link for `email`; on success signs in and returns the redirect. */
async function verify(
  c: Context<PortalEnv>,
  email: string,
  secret: string,
  kind: "otp" | "magic_link",
): Promise<Outcome | "limited" | "no_such_identity"> {
  const { config, sql, pepper, bss } = c.get("portal");
  const ip = c.get("ip");
  const limited = await overLimit(
    sql,
    "login_verify",
    { email },
    config.BSS_PORTAL_VERIFY_PER_EMAIL_MAX,
    config.BSS_PORTAL_VERIFY_PER_EMAIL_WINDOW_S,
  );
  if (limited) return "limited";
  const identity = await identityByEmail(sql, email);
  const outcome = identity
    ? await verifyCode(sql, pepper, { identityId: identity.id, kinds: [kind], secret })
    : "no_such_identity";
  await recordAttempt(sql, { stage: "login_verify", email, ip, outcome });
  if (outcome !== "success" || !identity) return outcome;
  if (!identity.customer_id) {
    const customer = await bss.run<{ id: string; status: string }>(
      "customer.find_by_email",
      { email },
      // The verified email itself: the only customer lookup the portal's token may make by it.
      email,
    ).catch(() => undefined);
    if (customer && customer.status !== "closed") {
      await linkIdentity(sql, identity.id, customer.id);
    }
  }
  await markSignedIn(sql, identity.id);
  const old = getCookie(c, SESSION_COOKIE);
  if (old) await revokeSession(sql, old);
  const ttl = config.BSS_PORTAL_SESSION_TTL_S;
  const session = await openSession(sql, identity.id, ttl, {
    ip,
    userAgent: c.req.header("user-agent"),
  });
  putCookie(c, SESSION_COOKIE, session, ttl);
  return "success";
}

/** Mounts the sign-in routes. */
export function authRoutes(app: Hono<PortalEnv>): void {
  app.get(
    "/auth/login",
    (c) => page(c, "Sign in", <LoginForm next={safeNext(c.req.query("next"))} />),
  );

  app.post("/auth/login", async (c) => {
    const { config, sql, pepper, mailer } = c.get("portal");
    const form = await c.req.parseBody();
    const next = safeNext(String(form.next ?? ""));
    const email = normalEmail(form.email);
    if (!email) {
      return page(
        c,
        "Sign in",
        <LoginForm next={next} error="Enter a valid email address." />,
        400,
      );
    }
    const ip = c.get("ip");
    const limited = await overLimit(
      sql,
      "login_start",
      { email },
      config.BSS_PORTAL_LOGIN_PER_EMAIL_MAX,
      config.BSS_PORTAL_LOGIN_PER_EMAIL_WINDOW_S,
    ) || await overLimit(
      sql,
      "login_start",
      { ip },
      config.BSS_PORTAL_LOGIN_PER_IP_MAX,
      config.BSS_PORTAL_LOGIN_PER_IP_WINDOW_S,
    );
    if (limited) return page(c, "Sign in", <LoginForm next={next} error={TOO_MANY} />, 429);
    await recordAttempt(sql, { stage: "login_start", email, ip, outcome: "issued" });
    const identity = await findOrCreateIdentity(sql, email);
    const ttl = config.BSS_PORTAL_LOGIN_TOKEN_TTL_S;
    const { otp, link } = await issueLogin(sql, pepper, identity.id, ttl);
    const url =
      `${publicUrl(config)}/auth/verify?email=${encodeURIComponent(email)}&token=${link}` +
      `&next=${encodeURIComponent(next)}`;
    try {
      await mailer.sendLogin(email, otp, url, Math.round(ttl / 60));
    } catch {
      return page(
        c,
        "Sign in",
        <LoginForm next={next} error="We could not send the email just now. Please try again." />,
        503,
      );
    }
    return c.redirect(
      `/auth/check-email?email=${encodeURIComponent(email)}&next=${encodeURIComponent(next)}`,
      303,
    );
  });

  app.get("/auth/check-email", (c) => {
    const email = normalEmail(c.req.query("email"));
    const next = safeNext(c.req.query("next"));
    if (!email) return c.redirect(`/auth/login?next=${encodeURIComponent(next)}`, 303);
    return page(c, "Check your email", <CodeForm email={email} next={next} />);
  });

  app.post("/auth/check-email", async (c) => {
    const form = await c.req.parseBody();
    const email = normalEmail(form.email);
    const next = safeNext(String(form.next ?? ""));
    if (!email) return c.redirect(`/auth/login?next=${encodeURIComponent(next)}`, 303);
    const outcome = await verify(c, email, String(form.code ?? "").trim(), "otp");
    if (outcome === "success") return c.redirect(next, 303);
    const limited = outcome === "limited";
    return page(
      c,
      "Check your email",
      <CodeForm email={email} next={next} error={limited ? TOO_MANY : SIGN_IN_FAILED} />,
      limited ? 429 : 400,
    );
  });

  app.get("/auth/verify", async (c) => {
    const next = safeNext(c.req.query("next"));
    const email = normalEmail(c.req.query("email"));
    const token = c.req.query("token") ?? "";
    const outcome = email ? await verify(c, email, token, "magic_link") : "no_such_identity";
    if (outcome === "success") return c.redirect(next, 303);
    return c.redirect(`/auth/login?next=${encodeURIComponent(next)}`, 303);
  });

  app.post("/auth/logout", async (c) => {
    const session = c.get("session");
    if (session) await revokeSession(c.get("portal").sql, session.id);
    clearCookie(c, SESSION_COOKIE);
    clearCookie(c, STEP_UP_COOKIE);
    return c.redirect("/welcome?flash=signed_out", 303);
  });
}
