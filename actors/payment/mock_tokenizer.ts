/**
 * The mock card tokenizer: what the CLI and the portals call with the card a customer typed,
 * so that only a token and a card summary ever reach the payment service. Stripe's test
 * cards keep their meaning: 4242 4242 4242 4242 approves, 4000 0000 0000 0002 declines
 * (`card_declined`), 4000 0000 0000 9995 declines for insufficient funds; any other
 * Luhn-valid number approves.
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import { PolicyViolation } from "../../kernel/errors.ts";
import { type MockOutcome, mockToken } from "./mock_tokens.ts";
import { assertCardNotExpired } from "./policies.ts";

/** A card as typed. Its number is read here and nowhere else. */
export interface CardDetails {
  /** Digits, optionally grouped with spaces or dashes. */
  cardNumber: string;
  expMonth: number;
  expYear: number;
}

/** What registers the card: the `POST …/paymentMethod` body without `customerId`. */
export interface TokenizedCard {
  tokenizationProvider: "mock";
  providerToken: string;
  cardSummary: { brand: string; last4: string; expMonth: number; expYear: number };
}

const TEST_CARDS: Record<string, MockOutcome> = {
  "4000000000000002": "card_declined",
  "4000000000009995": "insufficient_funds",
};

/** Whether a digit string passes the Luhn check. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** The card brand by BIN: 4 visa, 34/37 amex, 51–55 mastercard, else unknown. */
export function brandOf(digits: string): string {
  if (digits.startsWith("4")) return "visa";
  if (/^3[47]/.test(digits)) return "amex";
  if (/^5[1-5]/.test(digits)) return "mastercard";
  return "unknown";
}

/** The violation of an unusable card; its context never holds the number. */
function invalidCard(reason: string, message: string): PolicyViolation {
  return new PolicyViolation("payment.method.invalid_card", message, { reason });
}

/**
 * Tokenizes a card. Refuses (`payment.method.invalid_card`) a number that is not 12–19
 * digits or fails the Luhn check and an impossible expiry; refuses an expired card with
 * `payment_method.add.card_not_expired`, as registering it would.
 */
export function tokenizeCard(card: CardDetails): TokenizedCard {
  const digits = card.cardNumber.replace(/[\s-]/g, "");
  if (!/^\d{12,19}$/.test(digits)) {
    throw invalidCard("length", "a card number has 12 to 19 digits");
  }
  if (!luhnValid(digits)) throw invalidCard("luhn", "the card number is not valid (Luhn check)");
  const { expMonth, expYear } = card;
  if (!Number.isInteger(expMonth) || expMonth < 1 || expMonth > 12) {
    throw invalidCard("exp_month", "the expiry month is 1 to 12");
  }
  if (!Number.isInteger(expYear) || expYear < 2000 || expYear > 9999) {
    throw invalidCard("exp_year", "the expiry year has four digits");
  }
  assertCardNotExpired(expMonth, expYear, clock.now());
  return {
    tokenizationProvider: "mock",
    providerToken: mockToken(TEST_CARDS[digits] ?? "approve"),
    cardSummary: { brand: brandOf(digits), last4: digits.slice(-4), expMonth, expYear },
  };
}
