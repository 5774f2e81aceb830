/**
 * The command that resolves a policy refusal, where one exists: a customer without KYC is
 * verified with `bss customer attest-kyc`, one without a card gets one with
 * `bss payment add-card`. Matched on the rule's last segment, so every verb that checks the
 * same thing (order create, order submit, VAS purchase, renewal) gets the same hint.
 *
 * @module
 */

/** The command's arguments and the refusal's context, merged. */
type Facts = Record<string, unknown>;

/**
 * Rule endings → the fixing command, with `{customer}` / `{subscription}` for the ids the
 * command's arguments or the refusal's context name; the first entry whose rule matches (and
 * whose condition on the facts holds, if it has one) wins.
 */
const FIXES: ReadonlyArray<readonly [RegExp, string, ((facts: Facts) => boolean)?]> = [
  [
    /\.requires_verified_customer$/,
    "bss customer attest-kyc {customer} --provider prebaked --attestation_token <TOKEN>",
  ],
  [
    // A top-up's card was there but declined: it charges the default card, which a new card
    // does not replace (only a customer's first card becomes the default).
    /^subscription\.vas_purchase\.requires_active_cof$/,
    "bss payment list-methods {customer}   (then set-default-method a card that works)",
    (facts) => facts.payment_status !== undefined,
  ],
  [
    /\.(requires_cof|requires_active_cof|no_payment_method|requires_payment_success)$/,
    "bss payment add-card {customer} --card_number 4242424242424242",
  ],
  [
    // On the Stripe gateway a card is entered at Stripe; the BSS takes its PaymentMethod id.
    /^payment\.method\.add\.no_tokenizer$/,
    "bss payment add-stripe-card {customer} <PM_ID>   (the card is entered at Stripe)",
    (facts) => facts.active_adapter === "stripe",
  ],
  [/\.no_active_subscriptions$/, "bss subscription list {customer}   (then terminate each line)"],
  [/\.customer_not_active$/, "bss customer show {customer}   (its status says why)"],
  [
    /^usage\.record\.subscription_must_be_active$/,
    "bss subscription purchase-vas {subscription} VAS_DATA_1GB   (a data top-up unblocks an exhausted line)",
  ],
];

/**
 * The `try: …` line for a refusal of `rule`, given the command's arguments and the refusal's
 * context; or none.
 */
export function fixFor(rule: string, args: Facts): string | undefined {
  const fix = FIXES.find(([pattern, , when]) => pattern.test(rule) && (when?.(args) ?? true))
    ?.[1];
  if (!fix) return undefined;
  const id = (key: string, placeholder: string) =>
    typeof args[key] === "string" ? args[key] as string : placeholder;
  return `try: ${
    fix.replaceAll("{customer}", id("customer_id", "<CUSTOMER_ID>"))
      .replaceAll("{subscription}", id("subscription_id", "<SUBSCRIPTION_ID>"))
  }`;
}
