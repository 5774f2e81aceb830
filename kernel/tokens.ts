/**
 * Named API tokens: `BSS_API_TOKEN` → identity `default`, `BSS_<NAME>_API_TOKEN` → `<name>`.
 * Only HMAC digests are kept; matching hashes the presented token and compares it with every
 * entry in constant time, without early exit.
 *
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const SALT = "bss-token-map-v1";
const SENTINEL = "changeme";
const MIN_LENGTH = 32;
/** Secrets that look like perimeter tokens by name but must never open the perimeter. */
const EXCLUDED = new Set(["BSS_LOYALTY_API_TOKEN"]);

/** Digest → service identity. */
export type TokenMap = ReadonlyArray<{ identity: string; digest: Buffer }>;

/** Raised at start-up for an unusable token map; names variables, never values. */
export class TokenConfigError extends Error {
  override name = "TokenConfigError";
}

const digest = (token: string) => createHmac("sha256", SALT).update(token).digest();

/** The identity a token env var name maps to, or undefined when the name is not a token. */
export function identityOf(name: string): string | undefined {
  if (EXCLUDED.has(name)) return undefined;
  if (name === "BSS_API_TOKEN") return "default";
  const m = /^BSS_(.+)_API_TOKEN$/.exec(name);
  return m ? m[1].toLowerCase() : undefined;
}

/** Builds and validates the token map from an environment. */
export function parseTokenMap(
  env: Record<string, string | undefined>,
): { tokens: TokenMap; plain: Record<string, string> } {
  if (!env.BSS_API_TOKEN) throw new TokenConfigError("BSS_API_TOKEN must be set");
  const plain: Record<string, string> = {};
  const owner = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) {
    const identity = identityOf(name);
    if (!identity || !value) continue;
    if (value === SENTINEL) {
      throw new TokenConfigError(`${name} is the sentinel value "changeme"; set a real secret`);
    }
    if (value.length < MIN_LENGTH) {
      throw new TokenConfigError(`${name} is shorter than ${MIN_LENGTH} characters`);
    }
    if (identity in plain) throw new TokenConfigError(`${name}: identity "${identity}" repeats`);
    const seen = owner.get(value);
    if (seen) throw new TokenConfigError(`${name} has the same value as ${seen}`);
    owner.set(value, name);
    plain[identity] = value;
  }
  const tokens = Object.entries(plain).map(([identity, v]) => ({ identity, digest: digest(v) }));
  return { tokens, plain };
}

/** The identity of a presented token, or undefined. Compares against every entry. */
export function matchToken(tokens: TokenMap, presented: string): string | undefined {
  const d = digest(presented);
  let found: string | undefined;
  for (const entry of tokens) {
    if (timingSafeEqual(entry.digest, d) && found === undefined) found = entry.identity;
  }
  return found;
}

/** A fresh random token, long enough for the perimeter. */
export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}
