/**
 * The mock provider's token vocabulary (docs/domain.md §2): `tok_<uuid4>` approves,
 * `tok_DECLINE_<uuid4>` and `tok_FAIL_<uuid4>` decline with `card_declined`. Our addition,
 * `tok_DECLINE_INSUFFICIENT_FUNDS_<uuid4>`, declines with `insufficient_funds`; it still
 * contains `DECLINE`, so any reader of the reference vocabulary declines it too.
 *
 * @module
 */

/** What a mock token makes the mock gateway answer. */
export type MockOutcome = "approve" | "card_declined" | "insufficient_funds";

const MARKER: Record<MockOutcome, string> = {
  approve: "",
  card_declined: "DECLINE_",
  insufficient_funds: "DECLINE_INSUFFICIENT_FUNDS_",
};

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

/** Every well-formed mock token. */
export const MOCK_TOKEN: RegExp = new RegExp(
  `^tok_(?:FAIL_|DECLINE_(?:INSUFFICIENT_FUNDS_)?)?${UUID}$`,
);

/** A fresh mock token with the given outcome. */
export function mockToken(outcome: MockOutcome): string {
  return `tok_${MARKER[outcome]}${crypto.randomUUID()}`;
}

/** A decline as the mock gateway reports it. */
export interface MockDecline {
  reason: string;
  code: string;
}

/** The decline a mock token stands for, or null when it approves. */
export function mockDeclineOf(token: string): MockDecline | null {
  if (token.includes("INSUFFICIENT_FUNDS")) {
    return { reason: "insufficient_funds", code: "insufficient_funds" };
  }
  if (token.includes("DECLINE") || token.includes("FAIL")) {
    return { reason: "card_declined_by_issuer", code: "card_declined" };
  }
  return null;
}
