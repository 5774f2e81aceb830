/**
 * The whole system on the Stripe gateway (`BSS_PAYMENT_PROVIDER=stripe`, the API a local
 * stand-in): an operator puts the customer's Stripe card on file with `bss payment
 * add-stripe-card`, the order activates a line whose first month is a PaymentIntent at
 * Stripe, Stripe's webhook for it reconciles, and a card Stripe declines fails the order,
 * leaving no line and one declined attempt with Stripe's reason.
 */
import assert from "node:assert/strict";
import { runCli } from "../cockpit/bss/cli.ts";
import { listSubscriptions } from "../http/subscription/routes.ts";
import { attestKyc, createCustomer } from "./support/crm.ts";
import { order } from "./support/signup.ts";
import { startStripeStandIn } from "./support/stripe_standin.ts";
import { startSystem } from "./support/system.ts";

const WEBHOOK_SECRET = "whsec_e2e_0123456789abcdef";

Deno.test({
  name: "on Stripe: card by pm_… from the CLI → order → line active, paid by a PaymentIntent",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const stripe = await startStripeStandIn();
    const sys = await startSystem("e2e_stripe", {
      BSS_PAYMENT_PROVIDER: "stripe",
      BSS_PAYMENT_STRIPE_API_KEY: stripe.apiKey,
      BSS_PAYMENT_STRIPE_API_BASE: stripe.url,
      BSS_PAYMENT_STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    const bss = (...argv: string[]) => runCli(argv, { config: sys.config });
    const customerWith = async (pm: string) => {
      const customerId = await createCustomer(sys.client.crm);
      await attestKyc(sys.client.crm, customerId);
      const added = await bss(
        "payment",
        "add-stripe-card",
        customerId,
        pm,
        "--json",
      );
      assert.equal(added.code, 0, added.stderr);
      return { customerId, card: JSON.parse(added.stdout) };
    };
    try {
      const { customerId, card } = await customerWith("pm_card_visa");
      assert.deepEqual([card.tokenizationProvider, card.brand, card.last4], [
        "stripe",
        "visa",
        "4242",
      ]);
      const done = await order(sys.client, customerId);
      assert.equal(done.state, "completed", JSON.stringify(done));
      const [line] = await sys.client.subscription.call(listSubscriptions, {
        query: { customerId },
      });
      assert.equal(line.state, "active");

      const [attempt] = await sys.db.sql<{ gateway_ref: string; amount: string }[]>`
        select gateway_ref, amount from payment.payment_attempt
        where customer_id = ${customerId} and status = 'approved'`;
      const intent = stripe.get(attempt.gateway_ref)!;
      assert.equal(intent.status, "succeeded");
      assert.equal(intent.amount, Math.round(Number(attempt.amount) * 100));
      assert.equal((intent.metadata as Record<string, string>).bss_purpose, "activation");

      const succeeded = stripe.events.find((e) =>
        e.type === "charge.succeeded" && e.data.object.payment_intent === attempt.gateway_ref
      )!;
      const hook = await stripe.deliver(
        `${sys.urls.payment}/webhooks/stripe`,
        succeeded,
        WEBHOOK_SECRET,
      );
      assert.deepEqual(await hook.json(), { received: true, outcome: "reconciled" });

      // A card Stripe declines: the order fails with Stripe's reason, no line, nothing kept.
      const declined = await customerWith("pm_card_chargeDeclinedInsufficientFunds");
      const failed = await order(sys.client, declined.customerId);
      assert.equal(failed.state, "failed", JSON.stringify(failed));
      const lines = await sys.client.subscription.call(listSubscriptions, {
        query: { customerId: declined.customerId },
      });
      assert.deepEqual(lines.filter((l) => l.state === "active"), []);
      const attempts = await sys.db.sql`
        select status, decline_reason, decline_code from payment.payment_attempt
        where customer_id = ${declined.customerId}`;
      assert.deepEqual(attempts.map((a) => ({ ...a })), [
        {
          status: "declined",
          decline_reason: "insufficient_funds",
          decline_code: "insufficient_funds",
        },
      ]);
    } finally {
      await sys.stop();
      await stripe.stop();
    }
  },
});
