/**
 * The catalog's pure money rules: decimal-string arithmetic, the lowest-active-price pick
 * (docs/domain.md §6.1) and the promotion terms (docs/domain.md §6.2: discount, label, periods).
 */
import assert from "node:assert/strict";
import { applyDiscount, discountLabel, discountPeriodsTotal } from "../actors/catalog/discount.ts";
import type { PriceRow } from "../actors/catalog/model.ts";
import { canonicalAmount, fromCents, isDecimal, toCents } from "../actors/catalog/money.ts";
import { lowestActivePrice } from "../actors/catalog/pricing.ts";

Deno.test("decimal strings convert to cents and back exactly", () => {
  assert.equal(toCents("25"), 2500n);
  assert.equal(toCents("25.5"), 2550n);
  assert.equal(toCents("0.07"), 7n);
  assert.equal(toCents("-3.10"), -310n);
  assert.equal(fromCents(2550n), "25.50");
  assert.equal(fromCents(7n), "0.07");
  assert.equal(fromCents(-310n), "-3.10");
  assert.equal(canonicalAmount("9999999999.9"), "9999999999.90");
  for (const bad of ["", "1.234", "1e3", "abc", ".5", "1."]) {
    assert.equal(isDecimal(bad), false, bad);
    assert.throws(() => toCents(bad), RangeError);
  }
});

const price = (
  id: string,
  amount: string,
  from: string | null,
  to: string | null,
  type: PriceRow["price_type"] = "recurring",
): PriceRow => ({
  id,
  offering_id: "PLAN_Z",
  price_type: type,
  recurring_period_length: 1,
  recurring_period_type: "month",
  amount,
  currency: "SGD",
  valid_from: from ? new Date(from) : null,
  valid_to: to ? new Date(to) : null,
});

Deno.test("the lowest active recurring price wins; ties go to the lower id", () => {
  const prices = [
    price("B_BASE", "25.00", null, null),
    price("C_PROMO", "9.50", "2030-03-01T00:00:00Z", "2030-04-01T00:00:00Z"),
    price("A_TIE", "9.50", "2030-03-10T00:00:00Z", null),
    price("D_FEE", "1.00", null, null, "one_time"),
    price("E_CHEAP_LATER", "100.00", "2030-01-01T00:00:00Z", null),
  ];
  const at = (t: string) => lowestActivePrice(prices, new Date(t))?.id;
  assert.equal(at("2029-01-01T00:00:00Z"), "B_BASE");
  assert.equal(at("2030-03-01T00:00:00Z"), "C_PROMO");
  assert.equal(at("2030-03-10T00:00:00Z"), "A_TIE");
  assert.equal(at("2030-04-01T00:00:00Z"), "A_TIE");
  // Amounts compare as money, not as strings ("100.00" < "25.00" as text).
  assert.equal(
    lowestActivePrice(prices.slice(4).concat(prices[0]), new Date("2031-01-01"))?.id,
    "B_BASE",
  );
  assert.equal(lowestActivePrice([prices[3]], new Date("2030-01-01")), undefined);
  assert.equal(lowestActivePrice([], new Date("2030-01-01")), undefined);
});

Deno.test("percent and absolute discounts: floor zero, half-up to the cent", () => {
  assert.equal(applyDiscount("percent", "20", "25.00"), "20.00");
  assert.equal(applyDiscount("percent", "100", "25.00"), "0.00");
  assert.equal(applyDiscount("percent", "15", "9.99"), "8.49"); // 8.4915
  assert.equal(applyDiscount("percent", "12.5", "10.00"), "8.75");
  assert.equal(applyDiscount("percent", "50", "0.05"), "0.03"); // 0.025 rounds up
  assert.equal(applyDiscount("percent", "33.33", "1.00"), "0.67"); // 0.6667
  assert.equal(applyDiscount("absolute", "5", "25.00"), "20.00");
  assert.equal(applyDiscount("absolute", "30", "25.00"), "0.00");
  assert.equal(applyDiscount("absolute", "25.00", "25.00"), "0.00");
});

Deno.test("discount labels and discounted periods", () => {
  assert.equal(discountLabel("percent", "20.00", "SGD"), "20% off");
  assert.equal(discountLabel("percent", "12.50", "SGD"), "12.5% off");
  assert.equal(discountLabel("percent", "100", "SGD"), "100% off");
  assert.equal(discountLabel("absolute", "5", "SGD"), "SGD 5.00 off");
  assert.equal(discountPeriodsTotal("single", null), 1);
  assert.equal(discountPeriodsTotal("multi", 3), 3);
  assert.equal(discountPeriodsTotal("perpetual", null), -1);
});
