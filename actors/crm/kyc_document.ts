/**
 * Identity document numbers never reach a table, a mailbox or an event: at the edge the
 * number becomes a salted SHA-256 and its last four characters (docs/domain.md §4.1, raw path), and
 * every copy of it inside the attestation is blanked.
 *
 * @module
 */
import { sha256Hex } from "./sha256.ts";

/** What is kept of a document number. */
export interface DocumentFingerprint {
  hash: string;
  last4: string;
}

/** The number as hashed: trimmed and upper-cased. */
function normalise(number: string): string {
  return number.trim().toUpperCase();
}

/** hash = SHA-256 hex of `<normalised number>|<country>|<provider>`; last4 of the normalised number. */
export async function fingerprint(
  number: string,
  country: string,
  provider: string,
): Promise<DocumentFingerprint> {
  const n = normalise(number);
  return { hash: await sha256Hex(`${n}|${country}|${provider}`), last4: n.slice(-4) };
}

/** What stands in for a string that carried the document number. */
export const REDACTED = "[redacted]";

// Compared without case, spaces or punctuation, so "S 1234-567A" still matches "s1234567a".
const bare = (s: string) => s.toUpperCase().replace(/[^0-9A-Z]/g, "");

/** `value` with every string that contains the document number replaced by {@link REDACTED}. */
export function redactDocument<T>(value: T, number: string): T {
  const needle = bare(number);
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return bare(v).includes(needle) ? REDACTED : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}
