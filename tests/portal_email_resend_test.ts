/**
 * The `resend` email provider against a local stand-in of Resend's API: each code is one email
 * from the configured sender, sent once under its idempotency key (a repeat is replayed, not
 * sent again), a 5xx tried again, a refusal not; the portal's sign-in reads its code from the
 * email Resend was given, and says so when Resend cannot take it. Settings are checked at start.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../kernel/config.ts";
import { resendMailer, textOf } from "../portal/mail_resend.ts";
import { Visitor } from "./support/portal.ts";
import { startResendStandIn } from "./support/resend_standin.ts";
import { startSystem } from "./support/system.ts";

const FROM = "BSS Mobile <no-reply@mail.example>";

Deno.test("resend: one email per code, from the sender, replayed not resent, 5xx tried again", async () => {
  const resend = startResendStandIn();
  const mailer = resendMailer({
    apiKey: resend.apiKey,
    from: FROM,
    baseUrl: resend.url,
    brand: "BSS Mobile",
  });
  const login = [
    "ann@example.com",
    "123456",
    "https://portal.example/auth/verify?t=x",
    15,
  ] as const;
  try {
    await mailer.sendLogin(...login);
    assert.equal(resend.emails.length, 1);
    const [email] = resend.emails;
    assert.deepEqual([email.from, email.to, email.subject], [
      FROM,
      ["ann@example.com"],
      "Your BSS Mobile portal login code",
    ]);
    assert.match(email.text!, /Your sign-in code is 123456\. It is valid for 15 minutes\./);
    assert.match(email.text!, /https:\/\/portal\.example\/auth\/verify\?t=x/);
    assert.match(email.idempotencyKey!, /^login\/[0-9a-f]{64}$/);
    assert.doesNotMatch(email.idempotencyKey!, /123456|ann@/, "the key gives nothing away");

    // The same message again (a retry after a lost answer) is Resend's replay: nothing sent.
    await mailer.sendLogin(...login);
    assert.equal(resend.emails.length, 1);

    resend.failNext(1, 500);
    await mailer.sendStepUp("ann@example.com", "654321", "vas_purchase", 5);
    assert.equal(resend.emails.length, 2);
    assert.equal(resend.emails[1].subject, "Confirm action: vas_purchase");

    resend.failNext(3, 503);
    await assert.rejects(
      () => mailer.sendEmailChange("new@example.com", "111111", 15),
      /Resend could not take the email: status 503/,
    );
  } finally {
    await resend.stop();
  }
});

Deno.test("resend: a refusal is not tried again and says Resend's reason", async () => {
  const resend = startResendStandIn();
  const wrongKey = resendMailer({
    apiKey: "re_not_the_key",
    from: FROM,
    baseUrl: resend.url,
    brand: "B",
  });
  const badFrom = resendMailer({
    apiKey: resend.apiKey,
    from: "nobody",
    baseUrl: resend.url,
    brand: "B",
  });
  try {
    await assert.rejects(
      () => wrongKey.sendLogin("ann@example.com", "1", "l", 1),
      /Resend refused the email: 403 invalid_api_key/,
    );
    assert.equal(resend.requests, 1);
    await assert.rejects(
      () => badFrom.sendLogin("ann@example.com", "1", "l", 1),
      /422 validation_error Invalid `from` field/,
    );
  } finally {
    await resend.stop();
  }
});

Deno.test("each kind of code reads as what it is", () => {
  const base = { to: "a@example.com", subject: "s", otp: "246810", expiresInMinutes: 5 };
  assert.match(
    textOf({ ...base, kind: "step_up", label: "payment_method_add" }),
    /confirm "payment_method_add" is 246810/,
  );
  assert.match(textOf({ ...base, kind: "email_change" }), /confirm this email address is 246810/);
});

Deno.test("settings: resend needs its key and a sender; neither is echoed when wrong", () => {
  const load = (env: Record<string, string>) =>
    loadConfig({ BSS_API_TOKEN: "a-perfectly-good-token-0123456789abcdef", ...env });
  assert.throws(
    () => load({ BSS_PORTAL_EMAIL_PROVIDER: "resend" }),
    (e: Error) =>
      /BSS_PORTAL_RESEND_API_KEY: required/.test(e.message) &&
      /BSS_PORTAL_EMAIL_FROM: required/.test(e.message),
  );
  assert.throws(
    () =>
      load({
        BSS_PORTAL_EMAIL_PROVIDER: "resend",
        BSS_PORTAL_RESEND_API_KEY: "sk_wrong_secret",
        BSS_PORTAL_EMAIL_FROM: FROM,
      }),
    (e: Error) =>
      /BSS_PORTAL_RESEND_API_KEY: must be a Resend API key/.test(e.message) &&
      !e.message.includes("sk_wrong_secret"),
  );
  const ok = load({
    BSS_PORTAL_EMAIL_PROVIDER: "resend",
    BSS_PORTAL_RESEND_API_KEY: "re_123abc",
    BSS_PORTAL_EMAIL_FROM: FROM,
  });
  assert.equal(ok.BSS_PORTAL_EMAIL_FROM, FROM);
});

Deno.test({
  name: "portal on resend: the sign-in code arrives through Resend; Resend down is said, 503",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const resend = startResendStandIn();
    const system = await startSystem("portal_resend", {
      BSS_PORTAL_EMAIL_PROVIDER: "resend",
      BSS_PORTAL_RESEND_API_KEY: resend.apiKey,
      BSS_PORTAL_EMAIL_FROM: FROM,
      BSS_PORTAL_RESEND_API_BASE: resend.url,
    });
    try {
      const v = new Visitor(system.portalUrl, "/dev/null");
      const email = "resend@example.com";
      await v.get("/auth/login?next=/plans");
      const started = await v.post("/auth/login", { email, next: "/plans" });
      assert.equal(started.status, 303, started.text);
      const sent = resend.emails.filter((e) => e.to[0] === email);
      assert.equal(sent.length, 1);
      const code = /Your sign-in code is (\d{6})\./.exec(sent[0].text!)![1];
      const done = await v.post("/auth/check-email", { email, next: "/plans", code });
      assert.deepEqual([done.status, done.location], [303, "/plans"]);

      resend.failNext(3, 503);
      await v.get("/auth/login?next=/plans");
      const down = await v.post("/auth/login", { email: "other@example.com", next: "/plans" });
      assert.equal(down.status, 503);
      assert.match(down.text, /We could not send the email just now/);
    } finally {
      await system.stop();
      await resend.stop();
    }
  },
});
