/**
 * The portal on the Stripe gateway, in real Chromium, the Stripe API a local stand-in with its
 * hosted card page: a new visitor's details form asks for no card number; "Order my line" takes
 * them to Stripe's card page and, once the card is saved there, back to an active line paid at
 * Stripe. A second card is added the same way, behind its step-up. A visitor who leaves Stripe's
 * page without a card is told nothing was set up.
 */
import assert from "node:assert/strict";
import { chromium, type Page } from "playwright-core";
import { readMailbox } from "../portal/mail.ts";
import { startStripeStandIn } from "./support/stripe_standin.ts";
import { startSystem, until } from "./support/system.ts";

const CHROMIUM = "/usr/bin/chromium";
const WAIT = { timeout: 30_000 };

Deno.test({
  name: "portal on Stripe in Chromium: signup through Stripe's card page → active line; a " +
    "second card at Stripe behind step-up; leaving Stripe's page sets nothing up",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "bss_portal_stripe_" });
    const mailbox = `${dir}/mailbox.jsonl`;
    const stripe = await startStripeStandIn();
    const system = await startSystem("portal_stripe", {
      BSS_PORTAL_DEV_MAILBOX_PATH: mailbox,
      BSS_PAYMENT_PROVIDER: "stripe",
      BSS_PAYMENT_STRIPE_API_KEY: stripe.apiKey,
      BSS_PAYMENT_STRIPE_API_BASE: stripe.url,
    });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    const base = system.portalUrl.replace("127.0.0.1", "localhost");
    const code = async (email: string, kind: "login" | "step_up", seen: number) => {
      const all = await until(
        () => readMailbox(mailbox),
        (m) => m.filter((x) => x.to === email && x.kind === kind).length > seen,
        `a ${kind} code`,
      );
      return all.filter((x) => x.to === email && x.kind === kind).at(-1)!.otp;
    };
    const count = async (email: string, kind: string) =>
      (await readMailbox(mailbox)).filter((x) => x.to === email && x.kind === kind).length;
    const signUpTo = async (page: Page, email: string) => {
      await page.goto(`${base}/plans`);
      await page.click('[data-plan="PLAN_S"] a.button');
      const seen = await count(email, "login");
      await page.fill("#email", email);
      await page.click("button.auth-cta");
      await page.waitForURL(/\/auth\/check-email/, WAIT);
      await page.fill("#code", await code(email, "login", seen));
      await page.click("button.auth-cta");
      await page.waitForURL(/\/signup\/PLAN_S\/msisdn/, WAIT);
      await page.click("a.msisdn-tile");
      await page.fill("#name", "Stripe Tan");
      assert.equal(await page.$("#card_pan"), null, "no card number is asked for");
      assert.match((await page.textContent(".card-note"))!, /enter your card at Stripe/);
      await page.click("button.form-submit");
      await page.waitForURL(`${stripe.url}/c/pay/**`, WAIT);
    };
    try {
      const page = await browser.newPage();
      page.on("pageerror", (e) => console.log("PAGEERROR", e.message));
      const email = "stripe@example.com";
      await signUpTo(page, email);
      await page.click("button:has-text('Save card')");
      await page.waitForURL(/\/confirmation\/SUB-/, WAIT);
      assert.match((await page.textContent("#lpa-code"))!, /^LPA:1\$/);
      assert.match((await page.textContent("main"))!, /Paid SGD 10\.00 with Visa •••• 4242/);
      const [paid] = await system.db.sql<{ gateway_ref: string }[]>`
        select gateway_ref from payment.payment_attempt where status = 'approved'`;
      assert.equal(stripe.get(paid.gateway_ref)?.status, "succeeded");

      // A second card: step-up first, then Stripe's page, then back to the list.
      await page.goto(`${base}/payment-methods/add`);
      await page.click("button:has-text('Continue to Stripe')");
      await page.waitForURL(/\/auth\/step-up/, WAIT);
      const seen = await count(email, "step_up");
      await page.click("button.auth-cta");
      await page.fill("#code", await code(email, "step_up", seen), WAIT);
      await page.click("button.auth-cta");
      await page.waitForURL(`${stripe.url}/c/pay/**`, WAIT);
      await page.check("input[value=pm_card_mastercard]");
      await page.click("button:has-text('Save card')");
      await page.waitForURL(/\/payment-methods\?flash=added/, WAIT);
      const cards = (await page.textContent("main"))!;
      assert.match(cards, /Card added\./);
      assert.deepEqual([...cards.matchAll(/•••• (\d{4})/g)].map((m) => m[1]).sort(), [
        "4242",
        "4444",
      ]);

      // Another visitor leaves Stripe's page: nothing is set up, and they are told so.
      const other = await browser.newPage();
      await signUpTo(other, "leaver@example.com");
      await other.click("a:has-text('Back')");
      await other.waitForSelector("text=You left the card page without adding a card", WAIT);
      const [{ lines }] = await system.db.sql`
        select count(*)::int as lines from subscription.subscription`;
      assert.equal(lines, 1);
    } finally {
      await browser.close();
      await system.stop();
      await stripe.stop();
    }
  },
});
