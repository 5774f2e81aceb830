/**
 * Exact money arithmetic on decimal strings (`"25.00"`): amounts become integer cents, never
 * floats, so comparisons and discounts are exact.
 *
 * @module
 */

const DECIMAL = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

/** Whether `text` is a decimal with at most two places (`"25"`, `"25.5"`, `"-3.00"`). */
export function isDecimal(text: string): boolean {
  return DECIMAL.test(text);
}

/** The cents of a decimal with at most two places (`"25.5"` → 2550n); throws otherwise. */
export function toCents(amount: string): bigint {
  const m = DECIMAL.exec(amount);
  if (!m) throw new RangeError(`not a decimal with at most 2 places: ${amount}`);
  const cents = BigInt(m[2]) * 100n + BigInt((m[3] ?? "").padEnd(2, "0"));
  return m[1] ? -cents : cents;
}

/** The decimal string of `cents`, always with two places (2550n → `"25.50"`). */
export function fromCents(cents: bigint): string {
  const sign = cents < 0n ? "-" : "";
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

/** `amount` with exactly two places (`"25.5"` → `"25.50"`). */
export function canonicalAmount(amount: string): string {
  return fromCents(toCents(amount));
}
