/**
 * The self-serve portal over HTTP, as a browser without JavaScript uses it: sign-in with the
 * emailed code, the signup funnel to an active line with its QR and LPA code, the account
 * page, and the step-up writes (top-up, plan change and its cancel, cancel line) replayed
 * after the code; a declined card leaves no line behind.
 */
import assert from "node:assert/strict";
import { getSubscription, listSubscriptions } from "../http/subscription/routes.ts";
import { startSystem, type TestSystem, until } from "./support/system.ts";
import { Visitor } from "./support/portal.ts";

const CARD = "4242424242424242";

/** Signs `email` up for `plan` on a picked number; returns the confirmation page. */
export async function signUp(v: Visitor, email: string, card = CARD, plan = "PLAN_M") {
  assert.equal(await v.signIn(email, `/signup/${plan}/msisdn`), `/signup/${plan}/msisdn`);
  const picker = await v.get(`/signup/${plan}/msisdn`);
  const msisdn = /href="\/signup\/PLAN_\w\?msisdn=(\d+)"/.exec(picker.text)![1];
  return await placeLine(v, email, card, plan, msisdn);
}

/** The signed-in visitor orders `plan` on `msisdn`; returns the confirmation page. */
async function placeLine(v: Visitor, email: string, card: string, plan: string, msisdn: string) {
  const details = await v.get(`/signup/${plan}?msisdn=${msisdn}`);
  assert.match(details.text, new RegExp(email.replace(".", "\\.")));
  assert.doesNotMatch(details.text, /name="email"/, "the email is never a form field");
  const posted = await v.post("/signup", {
    plan,
    msisdn,
    name: "Mei Tan",
    phone: "+6590000001",
    card_pan: card,
  });
  assert.equal(posted.status, 303, posted.text);
  const progress = posted.location!;
  // Without JavaScript the progress page refreshes itself until it redirects.
  const done = await until(
    () => v.get(progress),
    (r) => r.status === 303 || /form-flash error/.test(r.text),
    "the signup to finish",
    60_000,
  );
  return done;
}

/** A test on a system of its own with a dev mailbox, walked by one visitor. */
function portalTest(
  name: string,
  label: string,
  fn: (v: Visitor, system: TestSystem) => Promise<void>,
) {
  Deno.test({
    name,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const dir = await Deno.makeTempDir({ prefix: "bss_portal_" });
      const mailbox = `${dir}/mailbox.jsonl`;
      // The walk confirms more actions than the default five step-ups per 15 minutes.
      const system = await startSystem(label, {
        BSS_PORTAL_DEV_MAILBOX_PATH: mailbox,
        BSS_PORTAL_STEPUP_PER_SESSION_MAX: "20",
      });
      try {
        await fn(new Visitor(system.portalUrl, mailbox), system);
      } finally {
        await system.stop();
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

portalTest(
  "portal: signup to an active line with QR and LPA, then top-up, plan change and cancel " +
    "through step-up",
  "portal_self_serve",
  async (v, system) => {
    const email = "mei@example.com";
    const done = await signUp(v, email);
    assert.equal(done.status, 303, done.text);
    const confirmation = await v.get(done.location!);
    assert.equal(confirmation.status, 200);
    assert.match(confirmation.text, /id="lpa-code">LPA:1\$/);
    // With a receipt: what was charged, to which card, and when the line renews.
    assert.match(
      confirmation.text,
      /class="receipt">Paid <strong>SGD 25\.00<\/strong> with Visa •••• 4242; the line renews in 30 days\./,
    );
    assert.match(confirmation.text, /<svg[^>]+aria-label="eSIM activation QR code"/);
    const sub = /subscription (SUB-\w+)/.exec(confirmation.text)![1];

    const account = await v.get("/");
    assert.match(account.text, /line-card--active/);
    // A plan not on sale, signed in: the portal's own not-found page.
    const gone = await v.get("/signup/PLAN_GONE/msisdn");
    assert.equal(gone.status, 404);
    assert.match(gone.text, /<h1>Not found<\/h1>/);
    assert.match(account.text, /data-island="LiveLines"/);
    assert.match(account.text, /<script type="module" src="\/static\/islands\/LiveLines-/);
    // No model configured: no chat is offered, and the chat page says where help is instead.
    assert.doesNotMatch(account.text, /ChatWidget/);
    const chat = await v.get("/chat");
    assert.match(chat.text, /not available on this service[\s\S]*mailto:support@bss\.local/);
    assert.doesNotMatch(chat.text, /<textarea/);
    // The support page then points at the address too, and is linked from the account.
    assert.match(account.text, /<a href="\/support">Support cases<\/a>/);
    const support = await v.get("/support");
    assert.match(support.text, /You have no support cases\.[\s\S]*mailto:support@bss\.local/);
    assert.equal((await v.post("/chat/message", { message: "hello?" })).location, "/chat");
    // The number search: spaces and the +65 the numbers are shown with are fine, anything else
    // but digits is said on the page itself.
    for (const typed of ["9000%2000", "%2B65%209000"]) {
      const spaced = await v.get(`/signup/PLAN_S/msisdn?prefix=${typed}`);
      assert.match(spaced.text, /class="button secondary msisdn-tile"/, typed);
    }
    const letters = await v.get("/signup/PLAN_S/msisdn?prefix=9x");
    assert.equal(letters.status, 422);
    assert.match(letters.text, /Digits only, please\.[\s\S]*<input id="prefix"[^>]* value="9x"/);
    const none = await v.get("/signup/PLAN_S/msisdn?prefix=1234");
    assert.match(none.text, /No free number starts with 1234\./);

    // Top-up: bounced to step-up, the code emailed, the form replayed once.
    await v.get(`/top-up?subscription=${sub}`);
    const bounced = await v.post(`/top-up?subscription=${sub}`, {
      vas_offering_id: "VAS_DATA_5GB",
    });
    assert.equal(bounced.status, 303);
    assert.match(bounced.location!, /^\/auth\/step-up\?action=vas_purchase&next=/);
    const stepPage = await v.get(bounced.location!);
    assert.match(stepPage.text, /vas_purchase/);
    const confirmed = await v.stepUp(bounced.location!, email);
    assert.equal(confirmed.status, 200, confirmed.text);
    const bought = await v.replay(confirmed.text);
    assert.equal(bought.status, 303, bought.text);
    assert.match(bought.location!, /^\/top-up\/success\?subscription=/);
    // The grant was spent: the same POST bounces again.
    const again = await v.post(`/top-up?subscription=${sub}`, {
      vas_offering_id: "VAS_DATA_5GB",
    });
    assert.match(again.location!, /^\/auth\/step-up\?action=vas_purchase/);

    // Charges and cards: the activation and the add-on; the last card stays while a line runs.
    const history = await v.get("/billing/history");
    assert.deepEqual(
      [...history.text.matchAll(/<td>(New line|Add-on)<\/td>/g)].map((m) => m[1]),
      [
        "Add-on",
        "New line",
      ],
    );
    const cards = await v.get("/payment-methods");
    const pm = /data-method="([^"]+)"/.exec(cards.text)![1];
    assert.match(cards.text, /<h2>Visa •••• 4242<\/h2>/);
    const remove = await v.post(`/payment-methods/${pm}/remove`);
    const refused = await v.replay((await v.stepUp(remove.location!, email)).text);
    assert.equal(refused.status, 422);
    assert.match(refused.text, /last card/);
    // A new card: the replay after the code never carries the number, so the form asks for
    // it again and the grant waits for that post.
    const add = await v.post("/payment-methods/add", { card_number: "4000 0566 5566 5556" });
    assert.match(add.location!, /^\/auth\/step-up\?action=payment_method_add/);
    const asked = await v.replay((await v.stepUp(add.location!, email)).text);
    assert.equal(asked.location, "/payment-methods/add?confirmed=1");
    assert.match((await v.get(asked.location!)).text, /Code confirmed\./);
    const added = await v.post("/payment-methods/add", { card_number: "4000 0566 5566 5556" });
    assert.equal(added.location, "/payment-methods?flash=added");
    assert.match((await v.get("/payment-methods")).text, /•••• 5556/);

    // Contact details: the mobile number changes after the step-up, replayed to the page.
    await v.get("/profile/contact");
    const phone = await v.post("/profile/contact/phone/update", { value: "+6598765432" });
    const saved = await v.replay((await v.stepUp(phone.location!, email)).text);
    assert.equal(saved.location, "/profile/contact?flash=phone_update");
    assert.match((await v.get(saved.location!)).text, /value="\+6598765432"/);

    // Plan change, then keep the current plan.
    const plans = await v.get(`/plan/change?subscription=${sub}`);
    assert.match(plans.text, /no proration/i);
    const change = await v.post(`/plan/change?subscription=${sub}`, {
      new_offering_id: "PLAN_L",
    });
    const scheduled = await v.replay((await v.stepUp(change.location!, email)).text);
    assert.match(scheduled.location!, /^\/plan\/change\/scheduled\?/);
    assert.match((await v.get(scheduled.location!)).text, /no proration/i);
    let line = await system.client.subscription.call(getSubscription, { params: { id: sub } });
    assert.equal(line.pendingOfferingId, "PLAN_L");
    assert.match((await v.get("/")).text, /pending-plan-change/);
    const cancel = await v.post("/plan/change/cancel", { subscription_id: sub });
    const kept = await v.replay((await v.stepUp(cancel.location!, email)).text);
    assert.equal(kept.location, "/?flash=plan_change_cancelled");
    line = await system.client.subscription.call(getSubscription, { params: { id: sub } });
    assert.equal(line.pendingOfferingId, null);

    // Cancel the line: the loss summary, then terminate through step-up.
    const summary = await v.get(`/subscription/${sub}/cancel`);
    assert.match(summary.text, /no refund/);
    assert.match(summary.text, /<li>Roaming: 500 MB left<\/li>/);
    assert.match(summary.text, /<li>SMS: unlimited<\/li>/);
    const end = await v.post(`/subscription/${sub}/cancel`);
    const ended = await v.replay((await v.stepUp(end.location!, email)).text);
    assert.equal(ended.location, `/subscription/${sub}/cancelled`);
    line = await system.client.subscription.call(getSubscription, { params: { id: sub } });
    assert.equal(line.state, "terminated");
    // Its eSIM page shows no QR of the recycled profile.
    const esim = await v.get(`/esim/${sub}`);
    assert.equal(esim.status, 410);
    assert.match(esim.text, /cannot be installed again/);
    assert.doesNotMatch(esim.text, /LPA:/);

    const [{ n }] = await system.db.sql<{ n: number }[]>`
      select count(*)::int as n from portal_auth.portal_action
      where step_up_consumed`;
    assert.equal(n, 7);
  },
);

portalTest(
  "portal: the details form keeps what was typed on an error; a returning customer's next " +
    "line is paid by their default card, asked for nothing",
  "portal_second_line",
  async (v) => {
    const email = "ann@example.com";
    await v.signIn(email, "/plans");
    await v.get("/signup/PLAN_S?msisdn=90000099");
    // A mistake in the details form keeps what was typed, never the card number.
    const typo = await v.post("/signup", {
      plan: "PLAN_S",
      msisdn: "90000099",
      name: "Mei <Tan>",
      phone: "+65 9000 0009",
      card_pan: "4242 4242",
    });
    assert.equal(typo.status, 422);
    assert.match(typo.text, /<h1>Lite: your details<\/h1>/);
    // What the order costs is said before the button that charges it.
    assert.match(typo.text, /You pay <strong>SGD 10\.00<\/strong>[^<]*now[\s\S]*Order my line/);
    assert.match(typo.text, /That card number is not valid\./);
    assert.match(typo.text, /name="name"[^>]* value="Mei &lt;Tan>"/);
    assert.match(typo.text, /name="phone"[^>]* value="\+65 9000 0009"/);
    assert.match(typo.text, /<input id="card_pan"(?![^>]*value=)[^>]*>/);
    assert.equal((await signUp(v, email)).status, 303);
    const picker = await v.get("/signup/PLAN_L/msisdn");
    const msisdn = /href="\/signup\/PLAN_L\?msisdn=(\d+)"/.exec(picker.text)![1];
    const details = await v.get(`/signup/PLAN_L?msisdn=${msisdn}`);
    assert.match(details.text, /Paid with your default card: <strong>Visa •••• 4242<\/strong>/);
    assert.doesNotMatch(details.text, /name="(card_pan|name|phone)"/);
    // The same form sent twice at once (a double click) is one order, one line, one charge.
    const form = await v.get(`/signup/PLAN_L?msisdn=${msisdn}`);
    const attempt = /name="attempt" value="([0-9a-f-]{36})"/.exec(form.text)![1];
    const twice = await Promise.all(
      [1, 2].map(() => v.post("/signup", { plan: "PLAN_L", msisdn, attempt })),
    );
    assert.equal(twice[0].location, twice[1].location, "both go to the one run");
    const second = await until(
      () => v.get(twice[0].location!),
      (r) => r.status === 303 || /form-flash error/.test(r.text),
      "the signup to finish",
      60_000,
    );
    assert.equal(second.status, 303, second.text);
    const cards = await v.get("/payment-methods");
    assert.deepEqual([...cards.text.matchAll(/•••• (\d{4})/g)].map((m) => m[1]), ["4242"]);
    const home = await v.get("/");
    assert.equal([...home.text.matchAll(/line-card--active/g)].length, 2);
    // A picked number gone by the time of the order: the line gets another, and is told so.
    const third = await placeLine(v, email, "", "PLAN_S", "90009999");
    assert.equal(third.status, 303, third.text);
    const told = await v.get(third.location!);
    assert.match(told.text, /The number you picked, \+65 9000 9999, was no longer free/);
    // Lite has no roaming: cancelling it does not list a roaming allowance to lose.
    const lite = /\/confirmation\/(SUB-[\w-]+)/.exec(third.location!)![1];
    const loss = await v.get(`/subscription/${lite}/cancel`);
    assert.match(loss.text, /<li>Data: 5 GB left<\/li>/);
    assert.doesNotMatch(loss.text, /Roaming/);
  },
);

portalTest(
  "portal: a declined card ends the signup saying which card and why, with the ways on, and " +
    "leaves no line behind",
  "portal_declined",
  async (v, system) => {
    const done = await signUp(v, "dee@example.com", "4000000000000002");
    assert.notEqual(done.status, 303);
    assert.match(
      done.text,
      /Your card Visa •••• 0002 was declined \(card declined by issuer\), so no line/,
    );
    // The charge history says the same, in words.
    const history = await v.get("/billing/history");
    assert.match(
      history.text,
      /<td>declined \(card declined by issuer\)<\/td><td class="nowrap">Visa •••• 0002<\/td>/,
    );
    // The island renders the ways on, on the server too (the page works without JavaScript).
    assert.match(done.text, /<a class="button" href="\/payment-methods">Use another card<\/a>/);
    assert.match(done.text, /href="\/signup\/PLAN_M\/msisdn">Try again<\/a>/);
    const [{ customer_id }] = await system.db.sql<{ customer_id: string }[]>`
      select customer_id from portal_auth.identity where email = 'dee@example.com'`;
    assert.ok(customer_id, "the identity was linked to its new customer at once");
    const lines = await system.client.subscription.call(listSubscriptions, {
      query: { customerId: customer_id },
    });
    assert.deepEqual(lines, []);
  },
);
