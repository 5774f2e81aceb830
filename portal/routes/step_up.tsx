/**
 * The step-up pages: the label being confirmed and a button to email a code; the code
 * form; and on success the grant cookie plus the stashed form replayed (auto-submitted,
 * with a button when JavaScript is off) or a redirect to `next`.
 *
 * @module
 */
import type { Context, Hono } from "hono";
import { overLimit, recordAttempt } from "../auth/attempts.ts";
import { issueGrant, issueStepUp, verifyCode } from "../auth/codes.ts";
import { safeNext } from "../auth/next.ts";
import { isStepUpLabel, type StepUpLabel, takeStash } from "../auth/step_up.ts";
import { putCookie, STEP_UP_COOKIE } from "../cookies.ts";
import { CodeField } from "../components/code_field.tsx";
import type { PortalEnv } from "../env.ts";
import { gate } from "../gates.ts";
import { SIGN_IN_FAILED, STEP_UP_WHAT, TOO_MANY } from "../messages.ts";
import { Form, page } from "../render.tsx";

function StepUpPage(
  { label, next, codeSent, error }: {
    label: StepUpLabel;
    next: string;
    codeSent: boolean;
    error?: string;
  },
) {
  return (
    <section class="card">
      <h1>Confirm it is you</h1>
      <p>
        To go ahead with <strong>{STEP_UP_WHAT[label]}</strong>{" "}
        (<span class="step-up-label">{label}</span>) we need a one-time code from your email.
      </p>
      {error && <p class="form-flash error" role="alert">{error}</p>}
      {codeSent
        ? (
          <Form action="/auth/step-up">
            <input type="hidden" name="action" value={label} />
            <input type="hidden" name="next" value={next} />
            <CodeField />
            <div class="actions">
              <button type="submit" class="auth-cta">Confirm</button>
            </div>
          </Form>
        )
        : (
          <Form action="/auth/step-up/start">
            <input type="hidden" name="action" value={label} />
            <input type="hidden" name="next" value={next} />
            <div class="actions">
              <button type="submit" class="auth-cta">Email me a code</button>
              <a class="button secondary" href={next}>Cancel</a>
            </div>
          </Form>
        )}
    </section>
  );
}

function Replay(
  { target, fields, csrf }: { target: string; fields: Record<string, string>; csrf: string },
) {
  return (
    <section class="card">
      <h1>Confirmed</h1>
      <form method="post" action={target} id="step-up-replay">
        <input type="hidden" name="csrf" value={csrf} />
        {Object.entries(fields).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
        <button type="submit">Continue</button>
      </form>
      <script
        // deno-lint-ignore react-no-danger
        dangerouslySetInnerHTML={{ __html: 'document.getElementById("step-up-replay").submit()' }}
      />
    </section>
  );
}

async function labelAndNext(c: Context<PortalEnv>) {
  const form = c.req.method === "POST" ? await c.req.parseBody() : {};
  const label = String(form.action ?? c.req.query("action") ?? "");
  const next = safeNext(String(form.next ?? c.req.query("next") ?? ""));
  return { label, next, form };
}

/** Mounts the step-up routes. */
export function stepUpRoutes(app: Hono<PortalEnv>): void {
  app.get("/auth/step-up", gate("session"), async (c) => {
    const { label, next } = await labelAndNext(c);
    if (!isStepUpLabel(label)) return c.redirect(next, 303);
    return page(c, "Confirm", <StepUpPage label={label} next={next} codeSent={false} />);
  });

  app.post("/auth/step-up/start", gate("session"), async (c) => {
    const { config, sql, pepper, mailer } = c.get("portal");
    const session = c.get("session")!;
    const { label, next } = await labelAndNext(c);
    if (!isStepUpLabel(label)) return c.redirect(next, 303);
    const by = { ip: `session:${session.identityId}` };
    if (
      await overLimit(
        sql,
        "step_up_start",
        by,
        config.BSS_PORTAL_STEPUP_PER_SESSION_MAX,
        config.BSS_PORTAL_STEPUP_PER_SESSION_WINDOW_S,
      )
    ) {
      const body = <StepUpPage label={label} next={next} codeSent={false} error={TOO_MANY} />;
      return page(c, "Confirm", body, 429);
    }
    await recordAttempt(sql, { stage: "step_up_start", ...by, outcome: "issued" });
    const ttl = config.BSS_PORTAL_STEPUP_TOKEN_TTL_S;
    const otp = await issueStepUp(sql, pepper, session.identityId, label, ttl);
    try {
      await mailer.sendStepUp(session.email, otp, label, Math.round(ttl / 60));
    } catch {
      const error = "We could not send the email just now. Please try again.";
      return page(c, "Confirm", <StepUpPage {...{ label, next, error }} codeSent={false} />, 503);
    }
    return page(c, "Confirm", <StepUpPage label={label} next={next} codeSent />);
  });

  app.post("/auth/step-up", gate("session"), async (c) => {
    const { config, sql, pepper } = c.get("portal");
    const session = c.get("session")!;
    const { label, next, form } = await labelAndNext(c);
    if (!isStepUpLabel(label)) return c.redirect(next, 303);
    const outcome = await verifyCode(sql, pepper, {
      identityId: session.identityId,
      kinds: ["step_up"],
      label,
      secret: String(form.code ?? "").trim(),
    });
    await recordAttempt(sql, {
      stage: "step_up_verify",
      email: session.email,
      ip: c.get("ip"),
      outcome,
    });
    if (outcome !== "success") {
      const body = <StepUpPage label={label} next={next} codeSent error={SIGN_IN_FAILED} />;
      return page(c, "Confirm", body, 400);
    }
    const ttl = config.BSS_PORTAL_STEPUP_GRANT_TTL_S;
    putCookie(
      c,
      STEP_UP_COOKIE,
      await issueGrant(sql, pepper, session.identityId, label, ttl),
      ttl,
    );
    const stashed = await takeStash(sql, session.identityId, label);
    if (!stashed) return c.redirect(next, 303);
    return page(c, "Confirmed", <Replay {...stashed} csrf={session.csrf} />);
  });
}
