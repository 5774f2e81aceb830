/**
 * The Stripe adapter's pure parts: amounts in minor units, the webhook signature (every
 * refusal), the redaction of stored events, and what each event does to a recorded attempt
 * (agreement, drift, refunds, disputes).
 */
import assert from "node:assert/strict";
import type { PaymentAttempt } from "../actors/payment/model.ts";
import { toMinorUnits } from "../actors/payment/money.ts";
import {
  hmacHex,
  SignatureRefused,
  verifyStripeSignature,
} from "../actors/payment/stripe_signature.ts";
import { actOn, redactStripe } from "../actors/payment/stripe_webhook.ts";
import { sentenceFor } from "../portal/messages.ts";

Deno.test("amounts go to Stripe in the currency's smallest unit", () => {
  assert.equal(toMinorUnits("25.00", "SGD"), 2500);
  assert.equal(toMinorUnits("0.5", "usd"), 50);
  assert.equal(toMinorUnits("1234567890.99", "SGD"), 123456789099);
  assert.equal(toMinorUnits("500", "JPY"), 500);
  assert.equal(toMinorUnits("1.25", "KWD"), 1250);
  assert.throws(() => toMinorUnits("500.50", "JPY"), /JPY has no minor unit/);
  assert.throws(() => toMinorUnits("-1.00", "SGD"), /no negative amount/);
});

const SECRET = "whsec_test_secret_0123456789";
const BODY = '{"id":"evt_1","type":"charge.succeeded"}';
const NOW = new Date("2026-12-08T02:00:00Z");
const T = Math.floor(NOW.getTime() / 1000);

async function refusal(header: string | null, body = BODY, now = NOW): Promise<string | null> {
  try {
    await verifyStripeSignature(header, body, SECRET, now);
    return null;
  } catch (e) {
    assert.ok(e instanceof SignatureRefused);
    return e.code;
  }
}

Deno.test("a webhook signature holds only for its body, its secret and a recent time", async () => {
  const v1 = await hmacHex(SECRET, `${T}.${BODY}`);
  assert.equal(await refusal(`t=${T},v1=${v1}`), null);
  // A secret being rolled: any v1 may match; a millisecond timestamp is read as such.
  assert.equal(await refusal(`t=${T},v1=${"0".repeat(64)},v1=${v1}`), null);
  const v1ms = await hmacHex(SECRET, `${T * 1000}.${BODY}`);
  assert.equal(await refusal(`t=${T * 1000},v1=${v1ms}`), null);

  assert.equal(await refusal(null), "missing_header");
  assert.equal(await refusal("  "), "missing_header");
  assert.equal(await refusal(`v1=${v1}`), "malformed_header");
  assert.equal(await refusal(`t=${T}`), "malformed_header");
  assert.equal(await refusal(`t=soon,v1=${v1}`), "malformed_header");
  assert.equal(await refusal(`t=${T},v1=${v1}`, BODY.replace("1", "2")), "signature_mismatch");
  assert.equal(await refusal(`t=${T},v0=${v1},v1=${"f".repeat(64)}`), "signature_mismatch");
  const late = new Date(NOW.getTime() + 301_000);
  assert.equal(await refusal(`t=${T},v1=${v1}`, BODY, late), "replay_window");
  assert.equal(await refusal(`t=${T},v1=${v1}`, BODY, new Date(NOW.getTime() + 299_000)), null);
});

Deno.test("stored events keep no personal data, but keep last4 and the decline code", () => {
  const event = redactStripe({
    id: "evt_1",
    data: {
      object: {
        billing_details: { name: "Ada", email: "ada@example.com" },
        receipt_email: "x@example.com",
        outcome: { decline_code: "insufficient_funds" },
        payment_method_details: { card: { last4: "4242", name: null } },
        customer: { email: "ada@example.com", Name: "Ada" },
      },
    },
  }) as { data: { object: Record<string, Record<string, unknown>> } };
  const o = event.data.object;
  assert.equal(o.billing_details, "[redacted]");
  assert.equal(o.receipt_email, "x@example.com", "only the listed keys are masked");
  assert.deepEqual(o.outcome, { decline_code: "insufficient_funds" });
  assert.deepEqual(o.payment_method_details, { card: { last4: "4242", name: null } });
  assert.deepEqual(o.customer, { email: "[redacted]", Name: "[redacted]" });
});

const attempt = (status: PaymentAttempt["status"]): PaymentAttempt => ({
  id: "PAY-000001",
  customerId: "CUST-0001",
  paymentMethodId: "PM-0001",
  amount: "25.00",
  currency: "SGD",
  purpose: "activation",
  status,
  gatewayRef: "pi_1",
  declineReason: null,
  declineCode: null,
  providerCallId: "pi_1",
  idempotencyKey: "activation:SUB-0001",
  attemptedAt: NOW,
});
const event = (type: string, object: Record<string, unknown> = {}) => ({
  id: "evt_1",
  type,
  data: { object },
});

Deno.test("an event that agrees with the recorded charge reconciles; one that does not is drift", () => {
  for (const type of ["charge.succeeded", "payment_intent.succeeded"]) {
    assert.deepEqual(actOn(event(type), attempt("approved"), {}), {
      outcome: "reconciled",
      events: [],
    });
    const drift = actOn(event(type), attempt("declined"), {});
    assert.equal(drift.outcome, "drift");
    assert.equal(drift.events[0].type, "payment.attempt_state_drift");
    assert.equal(drift.events[0].aggregateId, "PAY-000001");
    assert.equal(drift.events[0].payload.recorded_status, "declined");
  }
  for (const type of ["charge.failed", "payment_intent.payment_failed"]) {
    assert.equal(actOn(event(type), attempt("declined"), {}).outcome, "reconciled");
    assert.equal(actOn(event(type), attempt("errored"), {}).outcome, "reconciled");
    assert.equal(actOn(event(type), attempt("approved"), {}).outcome, "drift");
  }
  assert.deepEqual(actOn(event("customer.created"), attempt("approved"), {}), {
    outcome: "noop",
    events: [],
  });
});

Deno.test("a refund made at Stripe is reported once; the BSS's own refund only reconciles", () => {
  const refund = event("charge.refunded", { amount_refunded: 2500 });
  assert.deepEqual(actOn(refund, attempt("refunded"), refund.data.object).events, []);
  const outside = actOn(refund, attempt("approved"), refund.data.object);
  assert.equal(outside.outcome, "reconciled");
  assert.equal(outside.events[0].type, "payment.refunded_at_provider");
  assert.equal(outside.events[0].payload.amount_refunded_minor, 2500);
  const dispute = event("charge.dispute.created", { id: "dp_1", amount: 2500, reason: "fraud" });
  const opened = actOn(dispute, attempt("approved"), dispute.data.object);
  assert.equal(opened.events[0].type, "payment.dispute_opened");
  assert.equal(opened.events[0].payload.dispute_id, "dp_1");
});

Deno.test("the portal says it cannot take a card when the gateway is Stripe (no Checkout here)", () => {
  assert.equal(
    sentenceFor("payment.method.add.no_tokenizer"),
    "We cannot take a card on this page at the moment. Please contact support to add one.",
  );
});
