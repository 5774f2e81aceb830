/**
 * The rating function (docs/domain.md §6.4), table-tested against hand-built tariffs: event type →
 * allowance, roaming data → `data_roaming` (a zero row counts), unit checks, quantity as is,
 * charge "0" in the first price's currency (default SGD), and every refusal reason.
 */
import assert from "node:assert/strict";
import type { RatableUsage, Tariff } from "../actors/rating/model.ts";
import { rate } from "../actors/rating/rate.ts";

const allowance = (allowanceType: string, quantity: number, unit: string) => ({
  allowanceType,
  quantity,
  unit,
});
const price = (unit: string) => ({ price: { taxIncludedAmount: { unit } } });

/** Like PLAN_S: a zero roaming row, priced in SGD. */
const FULL: Tariff = {
  id: "PLAN_S",
  productOfferingPrice: [price("SGD")],
  bundleAllowance: [
    allowance("data", 5120, "mb"),
    allowance("voice", 100, "minutes"),
    allowance("sms", 100, "count"),
    allowance("data_roaming", 0, "mb"),
  ],
};
/** Data only, no roaming row, no price, and a voice row in the wrong unit. */
const BARE: Tariff = {
  id: "DATA_ONLY",
  productOfferingPrice: [],
  bundleAllowance: [allowance("data", -1, "mb"), allowance("voice", 10, "count")],
};
/** Priced in two currencies: the first row wins. */
const EURO: Tariff = { ...FULL, id: "EURO", productOfferingPrice: [price("EUR"), price("SGD")] };

const use = (eventType: string, quantity: number, unit: string, roamingIndicator = false) => ({
  eventType,
  quantity,
  unit,
  roamingIndicator,
});

const rated: Array<[string, Tariff, RatableUsage, string, string]> = [
  ["data → data", FULL, use("data", 250, "mb"), "data", "SGD"],
  ["voice → voice", FULL, use("voice", 7, "minutes"), "voice", "SGD"],
  ["voice_minutes → voice", FULL, use("voice_minutes", 7, "minutes"), "voice", "SGD"],
  ["sms → sms", FULL, use("sms", 1, "count"), "sms", "SGD"],
  [
    "roaming data → data_roaming (zero row)",
    FULL,
    use("data", 50, "mb", true),
    "data_roaming",
    "SGD",
  ],
  ["roaming voice → home voice", FULL, use("voice", 5, "minutes", true), "voice", "SGD"],
  ["roaming sms → home sms", FULL, use("sms", 2, "count", true), "sms", "SGD"],
  ["unlimited data, no price → SGD", BARE, use("data", 1_000_000, "mb"), "data", "SGD"],
  ["first price's currency", EURO, use("data", 1, "mb"), "data", "EUR"],
];

for (const [name, tariff, usage, allowanceType, currency] of rated) {
  Deno.test(`rates: ${name}`, () => {
    assert.deepEqual(rate(tariff, usage), {
      ok: true,
      allowanceType,
      consumedQuantity: usage.quantity,
      unit: usage.unit,
      chargeAmount: "0",
      currency,
    });
  });
}

const refused: Array<[string, Tariff, RatableUsage, string]> = [
  ["an unmapped event type", FULL, use("mms", 1, "count"), "rating.unmapped_event_type"],
  [
    "a prototype key as event type",
    FULL,
    use("toString", 1, "count"),
    "rating.unmapped_event_type",
  ],
  ["data in the wrong unit", FULL, use("data", 1, "minutes"), "rating.unit_mismatch"],
  ["roaming data in the wrong unit", FULL, use("data", 1, "count", true), "rating.unit_mismatch"],
  ["an allowance in another unit", BARE, use("voice", 1, "minutes"), "rating.unit_mismatch"],
  ["a missing allowance", BARE, use("sms", 1, "count"), "rating.no_allowance"],
  [
    "roaming data without a roaming row",
    BARE,
    use("data", 1, "mb", true),
    "rating.no_roaming_allowance",
  ],
];

for (const [name, tariff, usage, reason] of refused) {
  Deno.test(`refuses: ${name} (${reason})`, () => {
    const outcome = rate(tariff, usage);
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.reason, reason);
    assert.ok(!outcome.ok && outcome.message.length > 0);
  });
}
