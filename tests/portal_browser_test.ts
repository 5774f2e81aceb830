/**
 * The acceptance walk in real Chromium (Debian's `chromium` through playwright-core): a new
 * visitor signs up from /plans to an active line and sees the QR; signs out; signs in with
 * the code from the dev mailbox; watches the data bar drop, without reloading, as usage is
 * recorded through the CLI's tool; exhausts the line and sees it blocked; tops up through
 * step-up and sees it active again; schedules and cancels a plan change; cancels the line.
 * Screenshots of the main pages go to `tests/screenshots/` (not committed).
 */
import assert from "node:assert/strict";
import { chromium, type Page } from "playwright-core";
import { getSubscription } from "../http/subscription/routes.ts";
import { localCaller, withCaller } from "../kernel/context.ts";
import { readMailbox } from "../portal/mail.ts";
import { STEP_UP_WHAT } from "../portal/messages.ts";
import { toolContext } from "../tools/context.ts";
import { toolNamed } from "../tools/registry.ts";
import { startSystem, until } from "./support/system.ts";

const CHROMIUM = "/usr/bin/chromium";
const SHOTS = new URL("./screenshots/", import.meta.url).pathname;
const WAIT = { timeout: 30_000 };

Deno.test({
  name: "portal in Chromium: signup → QR, sign-out and code sign-in, live usage, blocked → " +
    "top-up with step-up → active, plan change scheduled and cancelled, the chat widget, line " +
    "cancelled",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "bss_portal_browser_" });
    const mailbox = `${dir}/mailbox.jsonl`;
    await Deno.mkdir(SHOTS, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/fixture.json`,
      JSON.stringify({
        responses: [{
          match: "my lines",
          steps: [
            { tool_calls: [{ name: "subscription.list_mine", args: {} }] },
            { content: "You have one line." },
          ],
        }],
      }),
    );
    const system = await startSystem("portal_browser", {
      BSS_PORTAL_DEV_MAILBOX_PATH: mailbox,
      BSS_LLM_FIXTURE_PATH: `${dir}/fixture.json`,
    });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    const base = system.portalUrl.replace("127.0.0.1", "localhost");
    const email = "walk@example.com";
    const shot = (page: Page, name: string) =>
      page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
    const code = async (kind: "login" | "step_up", seen: number) => {
      const all = await until(
        () => readMailbox(mailbox),
        (m) => m.filter((x) => x.to === email && x.kind === kind).length > seen,
        `a ${kind} code`,
      );
      return all.filter((x) => x.to === email && x.kind === kind).at(-1)!.otp;
    };
    const count = async (kind: string) =>
      (await readMailbox(mailbox)).filter((x) => x.to === email && x.kind === kind).length;
    const signIn = async (page: Page) => {
      const seen = await count("login");
      await page.fill("#email", email);
      await page.click("button.auth-cta");
      await page.waitForURL(/\/auth\/check-email/, WAIT);
      await page.fill("#code", await code("login", seen));
      await page.click("button.auth-cta");
    };
    const stepUp = async (page: Page, label: string) => {
      await page.waitForURL(/\/auth\/step-up/, WAIT);
      assert.equal(await page.textContent(".step-up-label"), label);
      // And says in words what is being confirmed.
      const what = STEP_UP_WHAT[label as keyof typeof STEP_UP_WHAT];
      assert.ok((await page.textContent("main"))?.includes(what), `${label}: "${what}"`);
      const seen = await count("step_up");
      await page.click("button.auth-cta");
      await page.fill("#code", await code("step_up", seen), WAIT);
      await page.click("button.auth-cta");
    };
    const dataLeft = (page: Page) => page.textContent(".balance--data .balance-left");
    const useData = (msisdn: string, mb: number) =>
      withCaller(
        localCaller("cli-user", "cli"),
        () =>
          toolNamed("usage.simulate")!.invoke(
            { msisdn, event_type: "data", quantity: mb, unit: "mb" },
            toolContext(system.config, "cli"),
          ),
      );
    try {
      const page = await browser.newPage();
      page.on("pageerror", (e) => console.log("PAGEERROR", e.message));
      await page.goto(`${base}/plans`);
      await shot(page, "plans");
      await page.click('[data-plan="PLAN_M"] a.button');
      await signIn(page);
      await page.waitForURL(/\/signup\/PLAN_M\/msisdn/, WAIT);
      await shot(page, "number-picker");
      await page.click("a.msisdn-tile");
      await page.fill("#name", "Walk Tan");
      await page.fill("#card_pan", "4242 4242 4242 4242");
      await shot(page, "signup-details");
      await page.click("button.form-submit");
      await page.waitForURL(/\/confirmation\/SUB-/, WAIT);
      assert.match((await page.textContent("#lpa-code"))!, /^LPA:1\$/);
      assert.ok(await page.isVisible(".confirmation-qr svg"));
      await shot(page, "confirmation");
      const sub = /\/confirmation\/(SUB-[\w-]+)/.exec(page.url())![1];

      // Sign out, and back in with the code from the dev mailbox.
      await page.goto(`${base}/`);
      await page.click("header form button");
      await page.waitForURL(/\/welcome/, WAIT);
      await page.click("a.auth-action");
      await signIn(page);
      await page.waitForURL(`${base}/`, WAIT);
      await page.waitForSelector(".line-card--active", WAIT);
      await page.waitForFunction(() => document.body.dataset.live === "on", null, WAIT);
      await shot(page, "account");

      // Usage through the CLI's tool drops the bar live.
      const line = await system.client.subscription.call(getSubscription, { params: { id: sub } });
      const data = line.balances.find((b) => b.allowanceType === "data")!;
      const before = await dataLeft(page);
      await useData(line.msisdn, 1024);
      await page.waitForFunction(
        (b) => document.querySelector(".balance--data .balance-left")?.textContent !== b,
        before,
        WAIT,
      );
      assert.notEqual(await dataLeft(page), before);

      // Exhausted → blocked, still without reloading.
      await useData(line.msisdn, data.remaining - 1024);
      await page.waitForSelector(".line-card--blocked", WAIT);
      await shot(page, "blocked");

      // Top up through step-up: active again.
      await page.click(".line-card--blocked a.button");
      await page.waitForURL(/\/top-up\?subscription=.*context=blocked/, WAIT);
      await page.click('main form button[type="submit"]');
      await stepUp(page, "vas_purchase");
      await page.waitForURL(/\/top-up\/success/, WAIT);
      await page.goto(`${base}/`);
      await page.waitForSelector(".line-card--active", WAIT);

      // Schedule a plan change, then keep the current plan.
      await page.goto(`${base}/plan/change?subscription=${sub}`);
      await page.click('button[aria-label="Switch to Large"], [data-plan="PLAN_L"] button');
      await stepUp(page, "plan_change_schedule");
      await page.waitForURL(/\/plan\/change\/scheduled/, WAIT);
      assert.match((await page.textContent("main"))!, /no proration/i);
      await page.goto(`${base}/`);
      await page.waitForSelector(".pending-plan-change", WAIT);
      await shot(page, "pending-plan-change");
      await page.click(".pending-plan-change button");
      await stepUp(page, "plan_change_cancel");
      await page.waitForURL(/flash=plan_change_cancelled/, WAIT);
      assert.equal(await page.$(".pending-plan-change"), null);

      // The floating chat opens in place and streams its answer.
      const here = page.url();
      await page.click("a.chat-fab");
      await page.fill("#chat-widget-message", "What are my lines?");
      await page.click('.chat-popup button[type="submit"]');
      await page.waitForSelector('.chat-popup .chat-bubble-assistant:has-text("one line")', WAIT);
      assert.equal(page.url(), here, "the widget answered without leaving the page");
      await shot(page, "chat-widget");

      // Cancel the line.
      await page.goto(`${base}/subscription/${sub}/cancel`);
      await shot(page, "cancel-line");
      await page.click("button.danger");
      await stepUp(page, "subscription_terminate");
      await page.waitForURL(/\/cancelled$/, WAIT);
      const ended = await system.client.subscription.call(getSubscription, { params: { id: sub } });
      assert.equal(ended.state, "terminated");
    } catch (e) {
      const [p] = browser.contexts()[0]?.pages() ?? [];
      if (p) await shot(p, "failure");
      throw e;
    } finally {
      await browser.close();
      await system.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
