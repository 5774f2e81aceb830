/**
 * Contact details and cards in the portal, over HTTP against the whole system: name, mobile
 * and address each changed behind their own step-up through the CLI's tools; an email change
 * that applies only once the code sent to the NEW address is verified (wrong code refused,
 * CRM and the sign-in email moved together, an address in use refused, a change cancelled);
 * and making another card the default, behind its step-up, for the customer's own cards only.
 */
import assert from "node:assert/strict";
import { getCustomer } from "../http/crm/customers.ts";
import { listPaymentMethods } from "../http/payment/payment_methods.ts";
import { localCaller, withCaller } from "../kernel/context.ts";
import { toolContext } from "../tools/context.ts";
import { toolNamed } from "../tools/registry.ts";
import { customerWithLine, Visitor } from "./support/portal.ts";
import { startSystem } from "./support/system.ts";

Deno.test({
  name: "portal contact details and default card: step-up per change, email verified at the new " +
    "address first",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "bss_portal_contact_" });
    const mailbox = `${dir}/mailbox.jsonl`;
    const system = await startSystem("portal_contact", {
      BSS_PORTAL_DEV_MAILBOX_PATH: mailbox,
      // Eight step-ups below for one identity (the default allows five per 15 minutes).
      BSS_PORTAL_STEPUP_PER_SESSION_MAX: "10",
    });
    try {
      const email = "ana@example.com";
      const me = await customerWithLine(system.client, email);
      const other = await customerWithLine(system.client, "taken@example.com");
      const crm = () => system.client.crm.call(getCustomer, { params: { id: me.customerId } });
      const v = new Visitor(system.portalUrl, mailbox);
      await v.signIn(email);

      // Name, then address: each bounced to its own step-up and replayed to the page.
      await v.get("/profile/contact");
      const name = await v.post("/profile/contact/name/update", {
        given_name: "Ana",
        family_name: "Lim Tan",
      });
      assert.match(name.location!, /^\/auth\/step-up\?action=name_update/);
      const named = await v.replay((await v.stepUp(name.location!, email)).text);
      assert.equal(named.location, "/profile/contact?flash=name_update");
      assert.deepEqual(
        [(await crm()).individual?.givenName, (await crm()).individual?.familyName],
        ["Ana", "Lim Tan"],
      );
      const address = await v.post("/profile/contact/address/update", { value: "1 Main St" });
      assert.match(address.location!, /^\/auth\/step-up\?action=address_update/);
      const moved = await v.replay((await v.stepUp(address.location!, email)).text);
      assert.equal(moved.location, "/profile/contact?flash=address_update");
      const page = await v.get(moved.location!);
      assert.match(page.text, /Your address is updated/);
      assert.match(page.text, /value="1 Main St"/);
      assert.match(page.text, /value="Lim Tan"/);

      // An address another customer holds is refused when its code is verified; nothing moves.
      const inUse = await v.post("/profile/contact/email/change", {
        new_email: "taken@example.com",
      });
      await v.replay((await v.stepUp(inUse.location!, email)).text);
      const taken = await v.mail("taken@example.com", "email_change");
      const refused = await v.post("/profile/contact/email/verify", { code: taken.otp });
      assert.equal(refused.status, 422);
      assert.match(refused.text, /already in use/);
      assert.doesNotMatch((await v.get("/profile/contact")).text, /Waiting for the code/);

      // So is one somebody started signing in with after the change began.
      const late = await v.post("/profile/contact/email/change", { new_email: "late@example.com" });
      await v.replay((await v.stepUp(late.location!, email)).text);
      const lateCode = await v.mail("late@example.com", "email_change");
      const stranger = new Visitor(system.portalUrl, mailbox);
      await stranger.get("/auth/login");
      await stranger.post("/auth/login", { email: "late@example.com", next: "/" });
      const lateRefused = await v.post("/profile/contact/email/verify", { code: lateCode.otp });
      assert.equal(lateRefused.status, 422);
      assert.match(lateRefused.text, /already in use/);

      // Email change: the code goes to the new address; nothing changes before it is verified.
      const fresh = "ana.new@example.com";
      const change = await v.post("/profile/contact/email/change", { new_email: fresh });
      assert.match(change.location!, /^\/auth\/step-up\?action=email_change/);
      const asked = await v.replay((await v.stepUp(change.location!, email)).text);
      assert.equal(asked.status, 200);
      assert.match(asked.text, /Check your new inbox/);
      const { otp } = await v.mail(fresh, "email_change");
      assert.equal(await v.mailCount(email, "email_change"), 0, "nothing to the old address");
      const emails = async () =>
        (await crm()).contactMedium.filter((m) => m.mediumType === "email").map((m) => m.value);
      assert.deepEqual(await emails(), [email]);
      const wrong = await v.post("/profile/contact/email/verify", {
        code: otp === "000000" ? "111111" : "000000",
      });
      assert.equal(wrong.status, 400);
      assert.deepEqual(await emails(), [email]);
      const verified = await v.post("/profile/contact/email/verify", { code: otp });
      assert.equal(verified.location, "/profile/contact?flash=email_change");
      assert.deepEqual(await emails(), [fresh]);
      const [identity] = await system.db.sql<{ email: string; customer_id: string }[]>`
        select email, customer_id from portal_auth.identity where customer_id = ${me.customerId}`;
      assert.deepEqual(identity, { email: fresh, customer_id: me.customerId });
      const again = new Visitor(system.portalUrl, mailbox);
      await again.signIn(fresh);
      assert.match((await again.get("/")).text, new RegExp(me.customerId));

      // A started change can be dropped; the address stays.
      await v.get("/profile/contact");
      const started = await v.post("/profile/contact/email/change", { new_email: "x@example.com" });
      await v.replay((await v.stepUp(started.location!, fresh)).text);
      assert.match((await v.get("/profile/contact")).text, /Waiting for the code sent to x@/);
      const dropped = await v.post("/profile/contact/email/cancel");
      assert.equal(dropped.location, "/profile/contact?flash=email_change_cancelled");
      assert.equal((await v.get("/profile/contact/email/verify")).status, 303);
      assert.deepEqual(await emails(), [fresh]);

      // Another card made the default, behind its step-up; someone else's card is refused.
      await withCaller(
        localCaller("cli-user", "cli"),
        () =>
          toolNamed("payment.add_card")!.invoke(
            { customer_id: me.customerId, card_number: "5555555555554444" },
            toolContext(system.config, "cli"),
          ),
      );
      const cards = await again.get("/payment-methods");
      assert.equal([...cards.text.matchAll(/Make default/g)].length, 1);
      const second = /data-method="([^"]+)"(?:(?!data-method).)*Make default/s.exec(cards.text)![1];
      const set = await again.post(`/payment-methods/${second}/set-default`);
      assert.match(set.location!, /^\/auth\/step-up\?action=payment_method_set_default/);
      const made = await again.replay((await again.stepUp(set.location!, fresh)).text);
      assert.equal(made.location, "/payment-methods?flash=default_set");
      const methods = await system.client.payment.call(listPaymentMethods, {
        query: { customerId: me.customerId },
      });
      assert.deepEqual(
        methods.filter((m) => m.isDefault).map((m) => m.id),
        [second],
      );
      const [foreign] = await system.client.payment.call(listPaymentMethods, {
        query: { customerId: other.customerId },
      });
      const steal = await again.post(`/payment-methods/${foreign.id}/set-default`);
      const stolen = await again.replay((await again.stepUp(steal.location!, fresh)).text);
      assert.equal(stolen.status, 403);
    } finally {
      await system.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
