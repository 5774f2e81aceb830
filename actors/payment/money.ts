/**
 * Money on the payment wire: decimal strings with at most two decimals (`"25.00"`), never
 * floats, matching `numeric(12,2)` in SQL.
 *
 * @module
 */

/** A decimal amount as callers may write it: optional minus, up to 10 digits, 2 decimals. */
export const AMOUNT_PATTERN: RegExp = /^-?\d{1,10}(?:\.\d{1,2})?$/;

/** The canonical form of an amount (`"7.5"` → `"7.50"`, `"-0"` → `"0.00"`). */
export function canonicalAmount(text: string): string {
  if (!AMOUNT_PATTERN.test(text)) throw new RangeError(`not a decimal amount: ${text}`);
  const negative = text.startsWith("-");
  const [whole, fraction = ""] = text.replace("-", "").split(".");
  const digits = `${whole.replace(/^0+(?=\d)/, "")}.${fraction.padEnd(2, "0")}`;
  return negative && /[1-9]/.test(digits) ? `-${digits}` : digits;
}

/** Whether a canonical amount is below zero. */
export function isNegative(amount: string): boolean {
  return amount.startsWith("-");
}

/** Whether a canonical amount is zero. */
export function isZero(amount: string): boolean {
  return amount === "0.00";
}

/** Currencies without a minor unit (Stripe's list): the amount is sent as it is. */
const ZERO_DECIMAL = new Set(
  "BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF".split(" "),
);
/** Currencies with three decimals (Stripe's list); a BSS amount has two, so one zero follows. */
const THREE_DECIMAL = new Set(["BHD", "JOD", "KWD", "OMR", "TND"]);

/**
 * A canonical positive amount in the currency's smallest unit, as providers take it
 * (`"25.00"` SGD → 2500, `"500.00"` JPY → 500). A zero-decimal currency refuses cents.
 */
export function toMinorUnits(amount: string, currency: string): number {
  const canonical = canonicalAmount(amount);
  if (isNegative(canonical)) throw new RangeError(`a provider takes no negative amount: ${amount}`);
  const [whole, cents] = canonical.split(".");
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) {
    if (cents !== "00") throw new RangeError(`${code} has no minor unit: ${amount}`);
    return Number(whole);
  }
  return Number(`${whole}${cents}${THREE_DECIMAL.has(code) ? "0" : ""}`);
}
