/**
 * The operator CRM (9002) in real Chromium against the whole system: find a customer by the
 * number of their line, read the 360, log an interaction and open a case, note and move the
 * case, top the line up, and terminate it only through its danger section; a refusal is shown
 * on the page it came from. Over plain HTTP: a POST without the page's CSRF secret, or from
 * another origin, is refused and does nothing; a destructive POST without `confirm=yes` too.
 */
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { getSubscription } from "../http/subscription/routes.ts";
import { order, signupCustomer } from "./support/signup.ts";
import { startSystem, until } from "./support/system.ts";

const CHROMIUM = "/usr/bin/chromium";
const WAIT = { timeout: 30_000 };

Deno.test({
  name:
    "operator CRM in Chromium: search → 360 → case → top-up → terminate behind its danger section",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const system = await startSystem("portal_csr");
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    const base = system.urls["portal-csr"];
    try {
      const customerId = await signupCustomer(
        system.client,
        "4242 4242 4242 4242",
        "mei@example.com",
      );
      const done = await order(system.client, customerId);
      const subId = done.productOrderItem[0].targetSubscriptionId!;
      const line = await system.client.subscription.call(getSubscription, {
        params: { id: subId },
      });

      const page = await browser.newPage();
      page.on("pageerror", (e) => console.log("PAGEERROR", e.message));
      await page.goto(`${base}/`);
      // A line's number, as people write it, finds its customer.
      await page.fill("input[name=q]", `+65 ${line.msisdn.slice(0, 4)} ${line.msisdn.slice(4)}`);
      await page.click("button:has-text('Find')");
      await page.waitForURL(`${base}/customers/${customerId}`, WAIT);
      const profile = (await page.textContent("main"))!;
      assert.match(profile, /mei@example\.com/);
      assert.match(profile, new RegExp(`${subId}.*PLAN_S.*active`));
      assert.match(profile, /Visa •••• 4242/);

      await page.fill("#summary", "Called about roaming");
      await page.click("button:has-text('Log')");
      await page.waitForSelector("text=Interaction logged.", WAIT);
      assert.match(
        (await page.textContent(".interactions"))!,
        /Called about roaming \(cli-user on portal-csr\)/,
      );

      await page.click("summary:has-text('Open a case')");
      await page.fill("#subject", "No data abroad");
      await page.click("button:has-text('Open case')");
      await page.waitForSelector("text=Case opened.", WAIT);
      await page.click("a[href^='/cases/CASE-']");
      await page.fill("#body", "Roaming not in plan; offered a pass");
      await page.click("button:has-text('Add note')");
      await page.waitForSelector("text=Note added.", WAIT);
      assert.match((await page.textContent(".notes"))!, /Roaming not in plan; offered a pass/);
      await page.selectOption("#to_state", "in_progress");
      await page.click("button:text-is('Move')");
      await page.waitForSelector("text=Case moved.", WAIT);
      assert.match((await page.textContent("main"))!, /in_progress/);
      // A ticket under the case, worked to resolved; then the case resolves and closes.
      await page.selectOption("#ticket_type", "technical");
      await page.fill("input[name=subject]", "Check roaming profile");
      await page.click("button:has-text('Open ticket')");
      await page.waitForSelector("text=Ticket opened.", WAIT);
      // Acknowledging needs an agent: refused, said on the page; assigned, it goes on.
      await page.selectOption(".ticket select[name=to_state]", "acknowledged");
      await page.click("button:has-text('Move ticket')");
      await page.waitForSelector("text=ticket.ack.requires_agent", WAIT);
      await page.click("button:has-text('Assign')");
      await page.waitForSelector("text=Ticket assigned.", WAIT);
      for (const to of ["acknowledged", "in_progress"]) {
        await page.selectOption(".ticket select[name=to_state]", to);
        await page.click("button:has-text('Move ticket')");
        await page.waitForFunction(
          (state) => document.querySelector(".ticket p strong:last-of-type")?.textContent === state,
          to,
          WAIT,
        );
      }
      await page.fill("input[name=resolution_notes]", "Profile reloaded");
      await page.click("button:has-text('Resolve ticket')");
      await page.waitForSelector("text=Ticket resolved.", WAIT);
      await page.selectOption("#to_state", "resolved");
      await page.click("button:text-is('Move')");
      await page.waitForSelector("text=Case moved.", WAIT);
      await page.click("summary:has-text('Close the case')");
      await page.click("details.danger:has-text('Close the case') button.danger");
      await page.waitForSelector("text=Case closed.", WAIT);

      // The line: a top-up, a plan change scheduled and dropped, then termination only through
      // its danger section.
      await page.goto(`${base}/subscriptions/${subId}`);
      await page.click("button:has-text('Buy')");
      await page.waitForSelector("text=Add-on bought.", WAIT);
      await page.selectOption("#plan", "PLAN_L");
      await page.click("button:has-text('Schedule')");
      await page.waitForSelector("text=Switches to PLAN_L at the next renewal.", WAIT);
      await page.click("button:has-text('Keep PLAN_S')");
      await page.waitForSelector("text=Plan change dropped.", WAIT);
      assert.ok(
        !(await page.locator("button.danger").first().isVisible()),
        "the danger buttons are folded away",
      );
      await page.click("summary:has-text('Terminate the line')");
      const terminate = "details.danger:has-text('Terminate the line')";
      assert.match((await page.textContent(terminate))!, /cannot be undone/);
      await page.click(`${terminate} button.danger`);
      await page.waitForSelector("text=Line terminated.", WAIT);
      const ended = await system.client.subscription.call(getSubscription, {
        params: { id: subId },
      });
      assert.equal(ended.state, "terminated");

      // A refusal is said on the page it came from: a terminated line cannot end again.
      const cookies = await page.context().cookies();
      const cookie = cookies.map((k) => `${k.name}=${k.value}`).join("; ");
      // The page's forms carry the browser's CSRF cookie back (a double submit).
      const csrf = cookies.find((k) => k.name === "bss_csr_csrf")!.value;
      const post = (path: string, fields: Record<string, string>, headers = {}) =>
        fetch(`${base}${path}`, {
          method: "POST",
          redirect: "manual",
          headers: { cookie, "content-type": "application/x-www-form-urlencoded", ...headers },
          body: new URLSearchParams(fields),
        });
      const again = await post(`/subscriptions/${subId}/terminate`, { csrf, confirm: "yes" });
      assert.equal(again.status, 303);
      assert.match(
        decodeURIComponent(again.headers.get("location")!),
        /err=subscription\.terminate\./,
      );

      // A new line from the 360: the same form sent twice (a double click) is one order.
      await page.goto(`${base}/customers/${customerId}`);
      const attempt = await page.getAttribute(
        `form[action="/customers/${customerId}/order"] input[name=attempt]`,
        "value",
      );
      const twice = await Promise.all(
        [1, 2].map(() =>
          post(`/customers/${customerId}/order`, {
            csrf,
            attempt: attempt!,
            offering_id: "PLAN_M",
            msisdn: "",
          })
        ),
      );
      assert.deepEqual(twice.map((r) => r.status), [303, 303]);
      assert.match(decodeURIComponent(twice[0].headers.get("location")!), /flash=Order placed\./);
      const orders = await system.db.sql`
        select id from order_mgmt.product_order where customer_id = ${customerId} order by id`;
      assert.equal(orders.length, 2, "one order for the two posts of one form");
      await page.goto(`${base}/orders/${orders[1].id}`);
      const placed = (await page.textContent("main"))!;
      assert.match(placed, new RegExp(`customer ${customerId}`));
      assert.match(placed, /PLAN_M at SGD 25\.00/);

      const [{ n: before }] = await system.db.sql`
        select count(*)::int as n from crm.interaction where customer_id = ${customerId}`;
      const forged = [
        await post(`/customers/${customerId}/interaction`, { summary: "forged" }),
        await post(`/customers/${customerId}/interaction`, {
          summary: "forged",
          csrf: "0".repeat(32),
        }),
        await post(`/customers/${customerId}/interaction`, { summary: "forged", csrf }, {
          origin: "https://evil.example",
        }),
      ];
      assert.deepEqual(forged.map((r) => r.status), [403, 403, 403]);
      const [{ n: after }] = await system.db.sql`
        select count(*)::int as n from crm.interaction where customer_id = ${customerId}`;
      assert.equal(after, before);

      const unconfirmed = await post(`/cases/CASE-0001/close`, { csrf });
      assert.match(
        decodeURIComponent(unconfirmed.headers.get("location")!),
        /err=Not done: open its section/,
      );
      const missing = await fetch(`${base}/customers/CUST-9999`);
      assert.equal(missing.status, 404);
      await missing.body?.cancel();
    } finally {
      await browser.close();
      await system.stop();
    }
  },
});

Deno.test({
  name: "operator CRM in Chromium: a new customer onboarded — created, verified, a card, a line",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const system = await startSystem("portal_csr_onboard");
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    const base = system.urls["portal-csr"];
    try {
      const page = await browser.newPage();
      await page.goto(`${base}/`);
      await page.click("summary:has-text('New customer')");
      await page.fill("#name", "Ravi Kumar");
      await page.fill("#email", "ravi@example.com");
      await page.click("button:has-text('Create')");
      await page.waitForSelector("text=Customer created.", WAIT);
      const customerId = /\/customers\/(CUST-\w+)/.exec(page.url())![1];
      // Name and contacts: a rename, a mobile added, the email removed only once confirmed.
      await page.click("summary:has-text('Edit name or contacts')");
      await page.fill("#family_name", "Kumaran");
      await page.click("button:has-text('Rename')");
      await page.waitForSelector("h1:has-text('Ravi Kumaran')", WAIT);
      await page.click("summary:has-text('Edit name or contacts')");
      await page.selectOption("#medium_type", "mobile");
      await page.fill("input[name=value]", "+6591234567");
      await page.click("button:has-text('Add contact')");
      await page.waitForSelector("text=Contact added.", WAIT);
      await page.click("summary:has-text('Remove ravi@example.com')");
      await page.click("details.danger:has-text('Remove ravi@example.com') button.danger");
      await page.waitForSelector("text=Contact removed.", WAIT);
      const contacts = (await page.textContent(".contacts"))!;
      assert.match(contacts, /mobile: \+?6591234567/);
      assert.doesNotMatch(contacts, /ravi@example\.com/);
      await page.selectOption("#provider", "prebaked");
      await page.fill("input[name=attestation_token]", "onboard-ravi");
      await page.click("button:has-text('Verify')");
      await page.waitForSelector("text=Identity verified.", WAIT);
      // A mistyped card is refused on the page, and nothing of it is shown back.
      await page.fill("#card_number", "4242 4242");
      await page.click("button:has-text('Add card')");
      await page.waitForSelector(".form-flash.error", WAIT);
      assert.doesNotMatch(await page.content(), /4242 4242/);
      await page.fill("#card_number", "4242 4242 4242 4242");
      await page.click("button:has-text('Add card')");
      await page.waitForSelector("text=Card added.", WAIT);
      await page.selectOption("#offering", "PLAN_S");
      await page.click("button:has-text('Order')");
      await page.waitForSelector("text=Order placed.", WAIT);
      const line = await until(
        () =>
          system.db.sql`
          select state from subscription.subscription where customer_id = ${customerId}`,
        (rows) => rows[0]?.state === "active",
        "the line to be active",
      );
      assert.equal(line.length, 1);
    } finally {
      await browser.close();
      await system.stop();
    }
  },
});
