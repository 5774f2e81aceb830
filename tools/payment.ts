/**
 * Payment tools (docs/cockpit.md §4.2 payment.*). Cards are tokenised here with the sandbox (mock)
 * tokenizer, as the reference CLI does, so no card number ever reaches a service.
 *
 * @module
 */
import { z } from "zod";
import { tokenizeCard } from "../actors/payment/mock_tokenizer.ts";
import { PURPOSES } from "../actors/payment/model.ts";
import { clock } from "../kernel/clock.ts";
import {
  createPaymentMethod,
  listPaymentMethods,
  removePaymentMethod,
  setDefaultPaymentMethod,
} from "../http/payment/payment_methods.ts";
import {
  createPayment,
  getPaymentAttempt,
  listCustomerPayments,
} from "../http/payment/payments.ts";
import { invalidateMockTokens } from "../http/payment/cutover.ts";
import type { CardSummary } from "../http/payment/schemas.ts";
import { Amount, CustomerId, idOf, limit, PaymentMethodId } from "./args.ts";
import { defineTool, OPERATOR, type Tool, type ToolContext } from "./tool.ts";

/** A card on file with its summary also flat, as the reference's tools answer it. */
function withCardFields<M extends { cardSummary: z.output<typeof CardSummary> }>(method: M) {
  return { ...method, ...method.cardSummary };
}

/**
 * Puts a Stripe PaymentMethod (`pm_…`, entered at Stripe, never here) on file for the
 * customer; the payment service reads the card from Stripe as it attaches it.
 */
async function addStripeMethod(ctx: ToolContext, customerId: string, token: string) {
  return withCardFields(
    await ctx.client("payment").call(createPaymentMethod, {
      body: { customerId, tokenizationProvider: "stripe", providerToken: token },
    }),
  );
}

/** Tokenises a sandbox card and puts it on file for the customer (`payment.add_card`). */
export async function addCard(ctx: ToolContext, customerId: string, cardNumber: string) {
  // A sandbox card: valid until the end of the year three years on.
  const expYear = clock.now().getUTCFullYear() + 3;
  const card = tokenizeCard({ cardNumber, expMonth: 12, expYear });
  return withCardFields(
    await ctx.client("payment").call(createPaymentMethod, {
      body: { customerId, ...card },
    }),
  );
}

/** The cutover's answer, run for real or as a dry run. */
const cutover = (dryRun: boolean, ctx: ToolContext) =>
  ctx.client("payment").call(invalidateMockTokens, {
    query: { dryRun: dryRun ? "true" : "false" },
  });

/** The payment tools. */
export const paymentTools: Tool[] = [
  defineTool({
    name: "payment.add_card",
    description: "Tokenise a card (sandbox) and put it on file for a customer",
    class: "create",
    profiles: OPERATOR,
    args: z.object({
      customer_id: CustomerId,
      card_number: z.string().trim().min(12).max(23).describe(
        "Card number (sandbox: 4242424242424242 approves, 4000000000000002 declines)",
      ),
    }),
    run: ({ customer_id, card_number }, ctx) => addCard(ctx, customer_id, card_number),
  }),
  defineTool({
    name: "payment.add_stripe_card",
    description: "Put on file a card the customer entered at Stripe (a PaymentMethod id, " +
      "pm_…), when the system runs on the Stripe gateway; the card is read from Stripe",
    class: "create",
    profiles: OPERATOR,
    args: z.object({
      customer_id: CustomerId,
      payment_method: z.string().trim().regex(/^pm_\w+$/, "a Stripe PaymentMethod id, pm_…")
        .describe("The Stripe PaymentMethod id (test mode: pm_card_visa)"),
    }),
    run: ({ customer_id, payment_method }, ctx) =>
      addStripeMethod(ctx, customer_id, payment_method),
  }),
  defineTool({
    name: "payment.list_methods",
    description: "A customer's cards on file",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ customer_id: CustomerId }),
    run: async ({ customer_id }, ctx) =>
      (await ctx.client("payment").call(listPaymentMethods, {
        query: { customerId: customer_id },
      })).map(withCardFields),
  }),
  defineTool({
    name: "payment.remove_method",
    description: "Remove a card on file",
    class: "destructive",
    profiles: OPERATOR,
    args: z.object({ method_id: PaymentMethodId }),
    run: async ({ method_id }, ctx) => {
      await ctx.client("payment").call(removePaymentMethod, { params: { id: method_id } });
      return { id: method_id, removed: true };
    },
  }),
  defineTool({
    name: "payment.set_default_method",
    description: "Make a card on file the customer's default (the others stop being it)",
    class: "update",
    profiles: OPERATOR,
    args: z.object({ method_id: PaymentMethodId }),
    run: async ({ method_id }, ctx) =>
      withCardFields(
        await ctx.client("payment").call(setDefaultPaymentMethod, { params: { id: method_id } }),
      ),
  }),
  defineTool({
    name: "payment.charge",
    description: "Charge a card on file (approved or declined)",
    class: "create",
    profiles: OPERATOR,
    args: z.object({
      customer_id: CustomerId,
      payment_method_id: PaymentMethodId,
      amount: Amount,
      purpose: z.enum(PURPOSES),
      currency: z.string().trim().length(3).default("SGD"),
    }),
    run: (a, ctx) =>
      ctx.client("payment").call(createPayment, {
        body: {
          customerId: a.customer_id,
          paymentMethodId: a.payment_method_id,
          amount: a.amount,
          purpose: a.purpose,
          currency: a.currency,
        },
      }),
  }),
  defineTool({
    name: "payment.get_attempt",
    description: "One payment attempt",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ attempt_id: idOf("PAY-", "payment.list_attempts") }),
    run: ({ attempt_id }, ctx) =>
      ctx.client("payment").call(getPaymentAttempt, { params: { id: attempt_id } }),
  }),
  defineTool({
    name: "payment.list_attempts",
    description: "A customer's payment attempts, newest first, optionally for one card",
    class: "read",
    profiles: OPERATOR,
    args: z.object({
      customer_id: CustomerId,
      payment_method_id: PaymentMethodId.optional(),
      limit: limit(20),
    }),
    run: async ({ customer_id, payment_method_id, limit }, ctx) => {
      const attempts = await ctx.client("payment").call(listCustomerPayments, {
        query: { customerId: customer_id, limit },
      });
      return payment_method_id
        ? attempts.filter((a) => a.paymentMethodId === payment_method_id)
        : attempts;
    },
  }),
];

/** The mock-to-Stripe cutover, an admin route: the CLI's verbs, offered to no LLM. */
export const paymentAdminVerbs: Tool[] = [
  defineTool({
    name: "payment.mock_cards_report",
    description: "The active cards on mock tokens, which the Stripe cutover would expire " +
      "(changes nothing)",
    class: "admin",
    profiles: [],
    args: z.object({}),
    run: (_, ctx) => cutover(true, ctx),
  }),
  defineTool({
    name: "payment.invalidate_mock_cards",
    description: "The Stripe cutover: expire every active mock-token card (the gateway must " +
      "be Stripe); each customer then needs a card entered at Stripe",
    class: "destructive",
    profiles: [],
    args: z.object({}),
    run: (_, ctx) => cutover(false, ctx),
  }),
];
