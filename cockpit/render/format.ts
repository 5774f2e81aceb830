/**
 * Value formatting shared by the cards: MSISDN and ICCID grouping, dates, allowances, and
 * reading a key in camelCase or snake_case.
 *
 * @module
 */

/** `91234567` → `9123 4567` (8 digits only; anything else unchanged, `—` when missing). */
export function formatMsisdn(msisdn: string | null | undefined): string {
  if (!msisdn) return "—";
  return /^\d{8}$/.test(msisdn) ? `${msisdn.slice(0, 4)} ${msisdn.slice(4)}` : msisdn;
}

/** An ICCID in groups of four digits. */
export function formatIccid(iccid: string): string {
  return iccid.replace(/(.{4})(?=.)/g, "$1 ");
}

/** `YYYY-MM-DD` of an ISO instant (`—` when missing). */
export function day(instant: string | null | undefined): string {
  return instant ? instant.slice(0, 10) : "—";
}

/** `YYYY-MM-DD HH:MM` of an ISO instant (`—` when missing). */
export function minute(instant: string | null | undefined): string {
  return instant ? `${instant.slice(0, 10)} ${instant.slice(11, 16)}` : "—";
}

/** A value as text, or `—` when missing or empty. */
export function orDash(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === "" ? "—" : String(value);
}

/**
 * A bundle quantity as people read it: missing `—`; null/−1 `unlimited`; MB of a GB or more
 * → `<g> GB`; minutes → `<n> min`; counts → `<n> sms`.
 */
export function allowanceText(quantity: number | null | undefined, unit?: string): string {
  if (quantity === undefined) return "—";
  if (quantity === null || quantity < 0) return "unlimited";
  if (unit === "mb") {
    return quantity >= 1024 ? `${Number((quantity / 1024).toFixed(1))} GB` : `${quantity} MB`;
  }
  if (unit === "minutes") return `${quantity} min`;
  if (unit === "count") return `${quantity} sms`;
  return `${quantity} ${unit ?? ""}`.trim();
}

/** `record[camelKey]`, else `record[snake_key]` — tool payloads come in both spellings. */
export function field<T = unknown>(record: Record<string, unknown>, camelKey: string): T {
  const snake = camelKey.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return (record[camelKey] ?? record[snake]) as T;
}
