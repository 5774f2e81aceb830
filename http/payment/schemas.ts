/**
 * The TMF676-shaped wire models of the payment service (docs/http.md §7) and its request bodies.
 *
 * @module
 */
import { RequestKey } from "../idempotency.ts";
import { z } from "zod";
import { PURPOSES, TOKEN_PROVIDERS } from "../../actors/payment/model.ts";
import { AMOUNT_PATTERN, canonicalAmount } from "../../actors/payment/money.ts";
import { MOCK_TOKEN } from "../../actors/payment/mock_tokens.ts";
import { camelOrSnake } from "./snake_case.ts";

const Id = z.string().min(1).max(64);
const Instant = z.iso.datetime({ offset: true });
const Currency = z.string().regex(/^[A-Z]{3}$/, "a three-letter ISO 4217 code");

/** A decimal amount as a string (`"25.00"`), read into its canonical form. */
export const Amount = z.string()
  .regex(AMOUNT_PATTERN, 'a decimal string of at most 10 digits and two decimals, e.g. "25.00"')
  .transform(canonicalAmount);

/** What may be shown of a card (`country` is never kept, so always null on output). */
export const CardSummary = z.object({
  brand: z.string().nullable(),
  last4: z.string(),
  expMonth: z.number().int(),
  expYear: z.number().int(),
  country: z.null(),
});

/** `PaymentMethod`. */
export const PaymentMethod = z.object({
  "@type": z.literal("PaymentMethod"),
  id: z.string(),
  href: z.string(),
  customerId: z.string(),
  type: z.literal("card"),
  tokenizationProvider: z.enum(TOKEN_PROVIDERS),
  providerToken: z.string(),
  cardSummary: CardSummary,
  isDefault: z.boolean(),
  status: z.enum(["active", "removed", "expired"]),
  createdAt: Instant,
});

/** `Payment`: one charge attempt. A decline is a Payment with `status: "declined"`. */
export const Payment = z.object({
  "@type": z.literal("Payment"),
  id: z.string(),
  href: z.string(),
  customerId: z.string(),
  paymentMethodId: z.string(),
  amount: z.string(),
  currency: z.string(),
  purpose: z.enum(PURPOSES),
  status: z.enum(["approved", "declined", "errored", "refunded"]),
  gatewayRef: z.string().nullable(),
  declineReason: z.string().nullable(),
  declineCode: z.string().nullable(),
  attemptedAt: Instant,
});

/**
 * A provider token: never a card number. Mock tokens must be well formed (`tok_<uuid4>`,
 * see `mock_tokens.ts`), so nothing else can be stored under the mock provider.
 */
const ProviderToken = z.string().min(3).max(255)
  .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, '_' and '-' only")
  .refine((t) => !/\d{13,}/.test(t), "looks like a card number: send a token, never the card");

/**
 * The body of `POST …/paymentMethod`: a token and a card summary, never a card number. A
 * Stripe `pm_…` needs no summary: the card is read from Stripe when it is attached.
 */
export const NewPaymentMethod = camelOrSnake(
  z.object({
    customerId: Id,
    type: z.literal("card").default("card"),
    tokenizationProvider: z.enum(TOKEN_PROVIDERS),
    providerToken: ProviderToken,
    cardSummary: z.object({
      brand: z.string().min(1).max(32),
      last4: z.string().regex(/^\d{4}$/, "exactly four digits"),
      expMonth: z.number().int().min(1).max(12),
      expYear: z.number().int().min(2000).max(9999),
      country: z.string().max(2).optional(),
    }).optional(),
  }).refine(
    (b) => b.tokenizationProvider !== "mock" || MOCK_TOKEN.test(b.providerToken),
    { path: ["providerToken"], message: "not a mock token (tok_<uuid4>)" },
  ).refine(
    (b) => b.tokenizationProvider !== "mock" || b.cardSummary !== undefined,
    { path: ["cardSummary"], message: "required with a mock token" },
  ),
);

/** An idempotency key: one per business operation (e.g. `activation:ORD-0007`). */
export const IdempotencyKey = RequestKey;

/** The body of `POST …/payment`. */
export const NewPayment = camelOrSnake(z.object({
  customerId: Id,
  paymentMethodId: Id,
  amount: Amount,
  currency: Currency.default("SGD"),
  purpose: z.enum(PURPOSES),
  idempotencyKey: IdempotencyKey.optional(),
}));
