/**
 * The mock card tokenizer: the test cards keep their meaning through the mock gateway, brands
 * come from the BIN, and bad or expired cards are refused without echoing the number.
 */
import assert from "node:assert/strict";
import { MockGateway } from "../actors/payment/mock_gateway.ts";
import { MOCK_TOKEN } from "../actors/payment/mock_tokens.ts";
import { brandOf, luhnValid, tokenizeCard } from "../actors/payment/mock_tokenizer.ts";
import { clock } from "../kernel/clock.ts";
import { PolicyViolation } from "../kernel/errors.ts";

const FUTURE = { expMonth: 12, expYear: 2099 };
const gateway = new MockGateway();

/** What the mock gateway answers for a card, through its token. */
async function outcome(cardNumber: string) {
  const { providerToken } = tokenizeCard({ cardNumber, ...FUTURE });
  const r = await gateway.charge({
    token: providerToken,
    amount: "1.00",
    currency: "SGD",
    purpose: "activation",
    customerId: "CUST-00000001",
    idempotencyKey: "k",
  });
  return [r.status, r.declineCode, r.reason];
}

Deno.test("the test cards keep their meaning through the gateway", async () => {
  assert.deepEqual(await outcome("4242 4242 4242 4242"), ["approved", null, null]);
  assert.deepEqual(await outcome("4000 0000 0000 0002"), [
    "declined",
    "card_declined",
    "card_declined_by_issuer",
  ]);
  assert.deepEqual(await outcome("4000 0000 0000 9995"), [
    "declined",
    "insufficient_funds",
    "insufficient_funds",
  ]);
  assert.deepEqual(await outcome("5105 1051 0510 5100"), ["approved", null, null]);
});

Deno.test("tokens follow the mock vocabulary; the summary keeps only brand, last4, expiry", () => {
  const ok = tokenizeCard({ cardNumber: "4242-4242-4242-4242", expMonth: 4, expYear: 2099 });
  assert.match(ok.providerToken, /^tok_[0-9a-f]{8}-/);
  assert.deepEqual({ ...ok, providerToken: undefined }, {
    tokenizationProvider: "mock",
    providerToken: undefined,
    cardSummary: { brand: "visa", last4: "4242", expMonth: 4, expYear: 2099 },
  });
  const declined = tokenizeCard({ cardNumber: "4000000000000002", ...FUTURE }).providerToken;
  assert.match(declined, /^tok_DECLINE_[0-9a-f]{8}-/);
  const funds = tokenizeCard({ cardNumber: "4000000000009995", ...FUTURE }).providerToken;
  assert.match(funds, /^tok_DECLINE_INSUFFICIENT_FUNDS_/);
  for (const token of [ok.providerToken, declined, funds]) assert.match(token, MOCK_TOKEN);
});

Deno.test("brand by BIN, Luhn by the book", () => {
  assert.deepEqual(
    [
      "4111111111111111",
      "378282246310005",
      "341111111111111",
      "5555555555554444",
      "6011111111111117",
    ]
      .map(brandOf),
    ["visa", "amex", "amex", "mastercard", "unknown"],
  );
  assert.equal(luhnValid("4242424242424242"), true);
  assert.equal(luhnValid("4242424242424241"), false);
});

/** The violation a tokenize call raises. */
function refusal(card: { cardNumber: string; expMonth: number; expYear: number }) {
  try {
    tokenizeCard(card);
  } catch (e) {
    assert.ok(e instanceof PolicyViolation);
    return e;
  }
  assert.fail("tokenized");
}

Deno.test("payment.method.invalid_card: Luhn, length, impossible expiry; never the number", () => {
  const cases: Array<[string, number, number, string]> = [
    ["4242 4242 4242 4241", 12, 2099, "luhn"],
    ["4242 4242", 12, 2099, "length"],
    ["4242 4242 4242 424x", 12, 2099, "length"],
    ["4242 4242 4242 4242", 13, 2099, "exp_month"],
    ["4242 4242 4242 4242", 12, 99, "exp_year"],
  ];
  for (const [cardNumber, expMonth, expYear, reason] of cases) {
    const e = refusal({ cardNumber, expMonth, expYear });
    assert.deepEqual([e.rule, e.context], ["payment.method.invalid_card", { reason }], reason);
    assert.doesNotMatch(JSON.stringify(e.toJSON()), /4242/);
  }
});

Deno.test("an expired card is refused like registering it would be", () => {
  const year = clock.now().getUTCFullYear() - 1;
  const e = refusal({ cardNumber: "4242424242424242", expMonth: 6, expYear: year });
  assert.deepEqual([e.rule, e.context], ["payment_method.add.card_not_expired", {
    exp_month: 6,
    exp_year: year,
  }]);
});
