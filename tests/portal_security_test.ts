/**
 * The portal's security properties (README "The self-serve portal"): gates and safe `next`,
 * cookie attributes, logout and rotation, generic sign-in failures, expired / consumed /
 * wrong codes, the magic link retiring its code, rate limits and the wrong-try cap, CSRF,
 * single-label expiring step-up grants, and no route showing or touching another
 * customer's line.
 */
import assert from "node:assert/strict";
import { getSubscription } from "../http/subscription/routes.ts";
import { STEP_UP_FIELDS, USED_LABELS } from "../portal/auth/step_up.ts";
import { customerWithLine, Visitor } from "./support/portal.ts";
import { startSystem, type TestSystem } from "./support/system.ts";

const dir = await Deno.makeTempDir({ prefix: "bss_portal_sec_" });
const mailbox = `${dir}/mailbox.jsonl`;
let system: TestSystem;

async function setup() {
  system ??= await startSystem("portal_security", {
    BSS_PORTAL_DEV_MAILBOX_PATH: mailbox,
    BSS_PORTAL_LOGIN_PER_IP_MAX: "1000",
    // One session posts every gated form in turn.
    BSS_PORTAL_STEPUP_PER_SESSION_MAX: "50",
  });
  return system;
}

const visitor = () => new Visitor(system.portalUrl, mailbox);
const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  ...opts,
  name: "gates: protected pages bounce to sign-in with next; public pages stay open",
  async fn() {
    await setup();
    const v = visitor();
    for (
      const path of [
        "/",
        "/top-up?subscription=SUB-1",
        "/esim/SUB-1",
        "/events",
        "/chat/thread",
        "/support",
      ]
    ) {
      const r = await v.get(path);
      assert.equal(r.status, 303, path);
      assert.equal(r.location, `/auth/login?next=${encodeURIComponent(path)}`);
    }
    v.cookies.set("bss_portal_session", "x".repeat(32));
    assert.equal((await v.get("/")).status, 303, "an unknown session is no session");
    for (const path of ["/welcome", "/plans", "/terms", "/privacy", "/auth/login", "/health"]) {
      assert.equal((await v.get(path)).status, 200, path);
    }
  },
});

Deno.test({
  ...opts,
  name: "sessions: cookie attributes, logout revokes (Max-Age=0), rotation past half life",
  async fn() {
    await setup();
    const v = visitor();
    await v.get("/auth/login");
    await v.post("/auth/login", { email: "cookie@example.com", next: "/" });
    const { otp } = await v.mail("cookie@example.com", "login");
    const signedIn = await v.post("/auth/check-email", {
      email: "cookie@example.com",
      next: "/",
      code: otp,
    });
    const cookie = signedIn.response.headers.getSetCookie().find((c) =>
      c.startsWith("bss_portal_session=")
    )!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.match(cookie, /Secure/);
    assert.match(cookie, /Path=\//);
    assert.match(cookie, /Max-Age=86400/);
    const first = v.cookies.get("bss_portal_session")!;
    assert.equal(first.length, 32);

    // Past half its life the session is replaced and the old one revoked.
    await system.db.sql`
      update portal_auth.session set issued_at = issued_at - interval '13 hours'
      where id = ${first}`;
    assert.equal((await v.get("/")).status, 200);
    const second = v.cookies.get("bss_portal_session")!;
    assert.notEqual(second, first);
    const stale = visitor();
    stale.cookies.set("bss_portal_session", first);
    assert.equal((await stale.get("/")).status, 303);

    const out = await v.post("/auth/logout");
    assert.equal(out.location, "/welcome?flash=signed_out");
    const cleared = out.response.headers.getSetCookie().find((c) =>
      c.startsWith("bss_portal_session=")
    )!;
    assert.match(cleared, /Max-Age=0/);
    const revoked = visitor();
    revoked.cookies.set("bss_portal_session", second);
    assert.equal((await revoked.get("/")).status, 303, "a logged-out session is revoked");
  },
});

Deno.test({
  ...opts,
  name: "next: external and malformed targets land on / after sign-in",
  async fn() {
    await setup();
    for (const next of ["//evil.example/x", "https://evil.example", "/\\evil.example", "/a\r\nb"]) {
      const v = visitor();
      const email = `next${Math.random().toString(36).slice(2)}@example.com`;
      await v.get("/auth/login");
      const started = await v.post("/auth/login", { email, next });
      assert.match(started.location!, /&next=%2F$/);
      const { otp } = await v.mail(email, "login");
      const done = await v.post("/auth/check-email", { email, next, code: otp });
      assert.equal(done.location, "/", next);
    }
  },
});

Deno.test({
  ...opts,
  name: "sign-in: bad email 400, + kept, generic failures, expired and reused codes, the link " +
    "retires its code",
  async fn() {
    await setup();
    const v = visitor();
    await v.get("/auth/login");
    assert.equal((await v.post("/auth/login", { email: "no at sign" })).status, 400);
    const plus = await v.post("/auth/login", { email: "Ann+Tag@Example.com" });
    assert.equal(plus.location, "/auth/check-email?email=ann%2Btag%40example.com&next=%2F");

    const email = "ann+tag@example.com";
    const wrong = await v.post("/auth/check-email", { email, next: "/", code: "000000" });
    const { otp, link } = await v.mail(email, "login");
    assert.ok(otp !== "000000");
    assert.equal(wrong.status, 400);
    assert.match(wrong.text, /did not work/);
    const unknown = await v.post("/auth/check-email", {
      email: "nobody@example.com",
      next: "/",
      code: "123456",
    });
    assert.equal(unknown.status, 400);
    assert.equal(
      /form-flash error[^>]*>([^<]+)/.exec(unknown.text)?.[1],
      /form-flash error[^>]*>([^<]+)/.exec(wrong.text)?.[1],
      "one generic failure text",
    );

    // The magic link signs in and retires the code sent with it.
    const linked = await v.get(new URL(link!).pathname + new URL(link!).search);
    assert.equal(linked.location, "/");
    const reuse = visitor();
    await reuse.get("/auth/login");
    assert.equal(
      (await reuse.post("/auth/check-email", { email, next: "/", code: otp })).status,
      400,
    );
    const again = await reuse.get(new URL(link!).pathname + new URL(link!).search);
    assert.match(again.location!, /^\/auth\/login/, "a used link fails");

    // An expired code fails the same way.
    const late = visitor();
    await late.get("/auth/login");
    await late.post("/auth/login", { email: "late@example.com" });
    const expired = await late.mail("late@example.com", "login");
    await system.db.sql`
      update portal_auth.login_token set expires_at = kernel.bss_now() - interval '1 second'
      where identity_id = (select id from portal_auth.identity where email = 'late@example.com')`;
    const r = await late.post("/auth/check-email", {
      email: "late@example.com",
      next: "/",
      code: expired.otp,
    });
    assert.equal(r.status, 400);
    const [{ outcomes }] = await system.db.sql<{ outcomes: string[] }[]>`
      select array_agg(distinct outcome order by outcome) as outcomes
      from portal_auth.login_attempt where stage = 'login_verify'`;
    for (const o of ["expired", "no_active_token", "no_such_identity", "success", "wrong_code"]) {
      assert.ok(outcomes.includes(o), `audited: ${o}`);
    }
  },
});

Deno.test({
  ...opts,
  name: "rate limits: sign-in starts per email, verify per email, five wrong tries retire a code",
  async fn() {
    await setup();
    const v = visitor();
    await v.get("/auth/login");
    const email = "brute@example.com";
    for (let i = 0; i < 3; i++) {
      assert.equal((await v.post("/auth/login", { email })).status, 303);
    }
    assert.equal((await v.post("/auth/login", { email })).status, 429);

    const { otp } = await v.mail(email, "login");
    const guess = otp === "111111" ? "222222" : "111111";
    for (let i = 0; i < 5; i++) await v.post("/auth/check-email", { email, code: guess });
    // The three live codes took five wrong tries each: the right one no longer works.
    assert.equal((await v.post("/auth/check-email", { email, code: otp })).status, 400);
    for (let i = 0; i < 4; i++) await v.post("/auth/check-email", { email, code: guess });
    const capped = await v.post("/auth/check-email", { email, code: guess });
    assert.equal(capped.status, 429);
    assert.match(capped.text, /Too many attempts/);
  },
});

Deno.test({
  ...opts,
  name: "CSRF: POSTs without the form secret or from another origin are refused",
  async fn() {
    await setup();
    const v = visitor();
    await v.get("/auth/login");
    assert.equal(
      (await v.post("/auth/login", { email: "c@example.com" }, { csrf: null })).status,
      403,
    );
    assert.equal(
      (await v.post("/auth/login", { email: "c@example.com" }, { csrf: "y".repeat(32) })).status,
      403,
    );
    const foreign = await v.post("/auth/login", { email: "c@example.com" }, {
      headers: { origin: "https://evil.example" },
    });
    assert.equal(foreign.status, 403);
    assert.equal((await v.post("/auth/login", { email: "c@example.com" })).status, 303);
  },
});

Deno.test({
  ...opts,
  name: "ownership and step-up: another customer's line is refused on every route; grants are " +
    "single-use, single-label and expire",
  async fn() {
    await setup();
    const a = await customerWithLine(system.client, "alice@example.com");
    const b = await customerWithLine(system.client, "bob@example.com");
    const v = visitor();
    await v.signIn("alice@example.com");
    const home = await v.get("/");
    assert.match(home.text, new RegExp(a.subscriptionId), "auto-linked to the CRM customer");
    assert.ok(!home.text.includes(b.subscriptionId));

    const theirs = b.subscriptionId;
    for (
      const path of [
        `/top-up?subscription=${theirs}`,
        `/top-up/success?subscription=${theirs}`,
        `/plan/change?subscription=${theirs}`,
        `/plan/change/scheduled?subscription=${theirs}&new_offering=PLAN_L`,
        `/subscription/${theirs}/cancel`,
        `/subscription/${theirs}/cancelled`,
        `/esim/${theirs}`,
        `/top-up?subscription=SUB-NOPE`,
      ]
    ) {
      const r = await v.get(path);
      assert.equal(r.status, 403, path);
      assert.ok(!r.text.includes(b.msisdn.slice(-4) + "<"), `${path} shows nothing of theirs`);
    }
    // A line page with no line named goes to the account; the scheduled page says what the
    // line has pending, never what the address claims (nothing pending: the account).
    for (
      const path of [
        "/top-up",
        "/top-up/success",
        "/plan/change?subscription=",
        `/plan/change/scheduled?subscription=${a.subscriptionId}&new_offering=PLAN_L`,
      ]
    ) {
      const r = await v.get(path);
      assert.deepEqual([r.status, r.location], [303, "/"], path);
    }
    // A form with a field missing, past its step-up: 400 with a sentence, not a 500.
    const empty = await v.post(`/top-up?subscription=${a.subscriptionId}`, { vas_offering_id: "" });
    const emptyReplayed = await v.replay(
      (await v.stepUp(empty.location!, "alice@example.com")).text,
    );
    assert.equal(emptyReplayed.status, 400);
    assert.match(emptyReplayed.text, /missing or not valid/);

    // A grant for vas_purchase, spent on their line: refused, their balance untouched.
    const bounce = await v.post(`/top-up?subscription=${theirs}`, {
      vas_offering_id: "VAS_DATA_5GB",
    });
    const replayed = await v.replay((await v.stepUp(bounce.location!, "alice@example.com")).text);
    assert.equal(replayed.status, 403);
    const line = await system.client.subscription.call(getSubscription, { params: { id: theirs } });
    assert.equal(line.balances.length, 4);
    assert.equal(line.balances.find((x) => x.allowanceType === "data")!.total, 5120);

    // Label-bound: a grant for vas_purchase does not pass the plan change.
    const bounce2 = await v.post(`/top-up?subscription=${a.subscriptionId}`, {
      vas_offering_id: "VAS_DATA_5GB",
    });
    await v.stepUp(bounce2.location!, "alice@example.com");
    const wrongLabel = await v.post(`/plan/change?subscription=${a.subscriptionId}`, {
      new_offering_id: "PLAN_L",
    });
    assert.match(wrongLabel.location!, /^\/auth\/step-up\?action=plan_change_schedule/);
    // And it expires.
    await system.db.sql`
      update portal_auth.login_token set expires_at = kernel.bss_now() - interval '1 second'
      where kind = 'step_up_grant' and consumed_at is null`;
    const expired = await v.post(`/top-up?subscription=${a.subscriptionId}`, {
      vas_offering_id: "VAS_DATA_5GB",
    });
    assert.match(expired.location!, /^\/auth\/step-up\?action=vas_purchase/);

    const [{ n }] = await system.db.sql<{ n: number }[]>`
      select count(*)::int as n from portal_auth.portal_action
      where not success and error_rule = 'policy.subscription.not_owned_by_actor'`;
    assert.ok(n >= 9, `refusals audited (${n})`);
  },
});

Deno.test({
  ...opts,
  name: "every gated form posted empty, past its step-up, answers a page, never a 500",
  async fn() {
    await setup();
    const email = "empty@example.com";
    const { subscriptionId } = await customerWithLine(system.client, email);
    const v = visitor();
    await v.signIn(email);
    const gated = [
      `/top-up?subscription=${subscriptionId}`,
      `/plan/change?subscription=${subscriptionId}`,
      "/plan/change/cancel",
      "/payment-methods/PM-NOPE/remove",
      "/payment-methods/PM-NOPE/set-default",
      "/profile/contact/name/update",
      "/profile/contact/phone/update",
      "/profile/contact/address/update",
      "/profile/contact/email/change",
      "/chat/confirm",
      // Last: the one form that means what it says when empty.
      `/subscription/${subscriptionId}/cancel`,
    ];
    for (const path of gated) {
      await v.get("/");
      const bounce = await v.post(path);
      assert.match(bounce.location ?? "", /^\/auth\/step-up/, path);
      const passed = await v.stepUp(bounce.location!, email);
      const answer = passed.status === 200 ? await v.replay(passed.text) : passed;
      assert.ok(answer.status < 500, `${path}: ${answer.status}`);
    }
    const line = await system.client.subscription.call(getSubscription, {
      params: { id: subscriptionId },
    });
    assert.equal(line.state, "terminated");
    // Adding a card asks for the number before any step-up; a bad one past it is refused.
    await v.get("/payment-methods/add");
    const empty = await v.post("/payment-methods/add");
    assert.equal(empty.location, "/payment-methods/add?empty=1");
    const bounce = await v.post("/payment-methods/add", { card_number: "4242" });
    await v.stepUp(bounce.location!, email);
    await v.get("/payment-methods/add?confirmed=1");
    const bad = await v.post("/payment-methods/add", { card_number: "not a card" });
    assert.ok(bad.status >= 400 && bad.status < 500, `a bad card number: ${bad.status}`);
  },
});

Deno.test({
  ...opts,
  name: "step-up labels: every route's label is catalogued and every catalogued label is used",
  fn() {
    for (const label of USED_LABELS) assert.ok(label in STEP_UP_FIELDS, label);
    assert.deepEqual([...USED_LABELS].sort(), Object.keys(STEP_UP_FIELDS).sort());
  },
});

Deno.test({
  ...opts,
  name: "teardown",
  async fn() {
    await system?.stop();
    await Deno.remove(dir, { recursive: true });
  },
});
