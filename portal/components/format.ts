/**
 * How quantities read on the portal: MB of 1024 or more as GB, `-1` as unlimited, minutes
 * and SMS counts as such, MSISDNs as `+65 NNNN NNNN`.
 *
 * @module
 */

/** `5 GB`, `500 MB`, `100 min`, `50 SMS`, `Unlimited`. */
export function quantity(amount: number, unit: string): string {
  if (amount < 0) return "Unlimited";
  if (unit === "mb") {
    return amount >= 1024 ? `${+(amount / 1024).toFixed(1)} GB` : `${amount} MB`;
  }
  if (unit === "minutes") return `${amount} min`;
  if (unit === "count") return `${amount} SMS`;
  return `${amount} ${unit}`;
}

/**
 * The digits of a number as people write it, shown (`+65 9000 0001`) or dialled
 * (`6590000001`): the local 8 digits of a Singapore number, other numbers without `+`.
 */
export function localDigits(text: string): string {
  return text.replace(/[\s+-]/g, "").replace(/^65(?=\d{8}$)/, "");
}

/** `+65 9123 4567` for an 8-digit Singapore number; other lengths as given. */
export function msisdnText(msisdn: string): string {
  const local = msisdn.startsWith("65") && msisdn.length === 10 ? msisdn.slice(2) : msisdn;
  return local.length === 8 ? `+65 ${local.slice(0, 4)} ${local.slice(4)}` : `+${msisdn}`;
}

/**
 * Whether a line has an allowance at all: a total of 0 is one its plan does not include (a
 * plan without roaming), shown nowhere; unlimited (null or -1) is included.
 */
export function included(balance: { total: number | null }): boolean {
  return balance.total !== 0;
}

/** The name of an allowance type. */
export function allowanceName(type: string): string {
  return ({ data: "Data", voice: "Voice", sms: "SMS", data_roaming: "Roaming" } as Record<
    string,
    string
  >)[type] ?? type;
}
