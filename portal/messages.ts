/**
 * Every sentence the portal shows for an outcome: flash keys after a redirect, and a fixed
 * rule → sentence map for policy refusals (server text is never shown; an unknown rule gets
 * the generic apology).
 *
 * @module
 */
import type { StepUpLabel } from "./auth/step_up.ts";

/** What each step-up label confirms, as the step-up page says it beside the label. */
export const STEP_UP_WHAT: Readonly<Record<StepUpLabel, string>> = {
  vas_purchase: "buying an add-on",
  payment_method_add: "adding a card",
  payment_method_remove: "removing a card",
  payment_method_set_default: "changing your default card",
  subscription_terminate: "cancelling a line",
  email_change: "changing your email address",
  phone_update: "changing your mobile number",
  address_update: "changing your address",
  name_update: "changing your name",
  plan_change_schedule: "switching your plan",
  plan_change_cancel: "cancelling your plan change",
};

/** Flash keys (`?flash=`) and what they say. */
export const FLASH: Record<string, string> = {
  signed_out: "You are signed out.",
  no_account: "You have no account with lines yet: pick a plan to get started.",
  plan_change_cancelled: "Your plan change is cancelled: you stay on your current plan.",
  plan_change_cancel_failed: "We could not cancel the plan change.",
  line_cancelled: "Your line is cancelled.",
  step_up_expired: "That confirmation has expired: please try again.",
};

/** The portal's own rule for a request with a missing or unusable field (answered 400). */
export const INVALID_REQUEST = "portal.request.invalid";

const RULES: Record<string, string> = {
  [INVALID_REQUEST]:
    "Something in that request was missing or not valid. Go back to your account and try again.",
  "policy.subscription.not_owned_by_actor": "That line is not on your account.",
  "subscription.terminate.invalid_state": "This line is already cancelled.",
  "subscription.vas_purchase.not_if_terminated": "Add-ons cannot be bought for a cancelled line.",
  "subscription.vas_purchase.requires_active_cof":
    "Add a card under Payment methods, then try again.",
  "subscription.vas_purchase.vas_offering_sellable": "That add-on is not on sale.",
  "subscription.create.requires_payment_success":
    "Your card was declined. Try another card, then try again.",
  "payment.method.invalid_card": "That card number is not valid.",
  // The gateway is Stripe, whose card entry (Checkout) this portal does not have.
  "payment.method.add.no_tokenizer":
    "We cannot take a card on this page at the moment. Please contact support to add one.",
  "payment_method.add.card_not_expired": "That card has expired.",
  "payment_method.add.duplicate_token": "That card is already on file.",
  "payment_method.remove.not_last_if_active_subscription":
    "You cannot remove your last card while you have active lines.",
  "order.create.requires_cof": "Add a card before ordering a line.",
  "order.create.requires_verified_customer": "We need to verify your identity first.",
  "policy.customer.contact_medium.email_in_use":
    "That email address is already in use. Use another one, or keep your current address.",
  "customer.create.email_unique":
    "That email address is already in use. Use another one, or keep your current address.",
};

/** Whether rule `rule` has a sentence of its own (not the generic apology). */
export function hasSentence(rule: string | undefined): rule is string {
  return rule !== undefined && rule in RULES;
}

/** The customer-facing sentence for policy rule `rule`. */
export function sentenceFor(rule: string | undefined): string {
  if (rule && RULES[rule]) return RULES[rule];
  if (rule?.includes("declined")) return RULES["payment.charge.declined"];
  if (rule?.includes("not_owned")) return RULES["policy.subscription.not_owned_by_actor"];
  return "Sorry, we could not do that. Please try again, or contact support.";
}

/** The generic sign-in failure: never says which part was wrong. */
export const SIGN_IN_FAILED =
  "That code or link did not work. Check it, or ask for a new one below.";

/** Rate-limited. */
export const TOO_MANY = "Too many attempts. Please wait a few minutes and try again.";
