/**
 * Named API tokens: `BSS_API_TOKEN` → identity `default`, `BSS_<NAME>_API_TOKEN` → `<name>`.
 * Only HMAC digests are kept; matching hashes the presented token and compares it with every
 * entry in constant time, without early exit.
 *
 * Each identity carries a scope set (docs: README "Scoped tokens"): `BSS_API_SCOPES` /
 * `BSS_<NAME>_API_SCOPES` (comma-separated), else the built-in set of a known identity, else
 * none — an identity nobody scoped can authenticate but reach nothing. Its tenant is
 * `BSS_<NAME>_API_TENANT`, else `DEFAULT`: the tenant of a call comes from its token, never
 * from a header.
 *
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const SALT = "bss-token-map-v1";
const SENTINEL = "changeme";
const MIN_LENGTH = 32;
/** Secrets that look like perimeter tokens by name but must never open the perimeter. */
const EXCLUDED = new Set(["BSS_LOYALTY_API_TOKEN"]);

/**
 * What an identity may do. A route needs one of `self_serve` (the customer's own data, bound
 * to the customer the caller asserts), `operator` (everything an operator does) or `admin`
 * (reset, clock moves, reindex, migrations). The other three are not route scopes: they say
 * which `X-BSS-Actor`/`X-BSS-Channel` the identity may assert (`http/middleware/caller.ts`) —
 * `assert_operator` an operator (the CLI, the cockpit), `assert_customer` its signed-in
 * customer (the portal), `relay` any caller (the services, relaying the caller they serve).
 * An identity without one asserts nothing: its own name is recorded.
 */
export const SCOPES = [
  "self_serve",
  "operator",
  "admin",
  "assert_operator",
  "assert_customer",
  "relay",
] as const;

/** One scope of {@link SCOPES}. */
export type Scope = (typeof SCOPES)[number];

/** The scopes a route may need; the rest are assertion rights. */
export const ROUTE_SCOPE_NAMES: readonly Scope[] = ["self_serve", "operator", "admin"];

/** One of {@link ROUTE_SCOPE_NAMES}. */
export type RouteScope = Extract<Scope, "self_serve" | "operator" | "admin">;

/**
 * The scope sets of the identities the system itself uses, unless configured otherwise:
 * `default` is the token an operator or integration presents and asserts nothing;
 * `operator_cli` is the CLI's and scenario runner's, `service` the services' own hops.
 */
export const BUILT_IN_SCOPES: Readonly<Record<string, readonly Scope[]>> = {
  default: ["self_serve", "operator", "admin"],
  operator_cli: ["self_serve", "operator", "admin", "assert_operator"],
  service: ["self_serve", "operator", "admin", "relay"],
  operator_cockpit: ["operator", "self_serve", "assert_operator"],
  portal_self_serve: ["self_serve", "assert_customer"],
};

/** The tenant of an identity with no `BSS_<NAME>_API_TENANT`. */
export const DEFAULT_TENANT = "DEFAULT";
const TENANT = /^[A-Za-z0-9_-]{1,64}$/;

/** An identity: its name, its token's digest, its scopes and its tenant. */
export interface TokenEntry {
  identity: string;
  digest: Buffer;
  scopes: readonly Scope[];
  tenant: string;
}

/** Every configured identity. */
export type TokenMap = ReadonlyArray<TokenEntry>;

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

/** The env var holding `identity`'s token: the inverse of {@link identityOf}. */
export function tokenVarOf(identity: string): string {
  return identity === "default" ? "BSS_API_TOKEN" : `BSS_${identity.toUpperCase()}_API_TOKEN`;
}

/** The tenant of the identity whose token is in `tokenVar`, from `<prefix>_API_TENANT`. */
function tenantOf(env: Record<string, string | undefined>, tokenVar: string): string {
  const name = tokenVar.replace(/_TOKEN$/, "_TENANT");
  const given = env[name]?.trim();
  if (given === undefined || given === "") return DEFAULT_TENANT;
  if (!TENANT.test(given)) {
    throw new TokenConfigError(`${name}: letters, digits, '_' and '-' only, at most 64`);
  }
  return given;
}

/** The scopes of the identity whose token is in `tokenVar`, from `<prefix>_API_SCOPES`. */
function scopesOf(
  env: Record<string, string | undefined>,
  tokenVar: string,
  identity: string,
): readonly Scope[] {
  const name = tokenVar.replace(/_TOKEN$/, "_SCOPES");
  const given = env[name]?.trim();
  if (given === undefined || given === "") return BUILT_IN_SCOPES[identity] ?? [];
  const list = [...new Set(given.split(",").map((s) => s.trim()).filter(Boolean))];
  const unknown = list.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length) {
    throw new TokenConfigError(
      `${name}: unknown scope ${unknown.join(", ")}; known: ${SCOPES.join(", ")}`,
    );
  }
  return list as Scope[];
}

/** Builds and validates the token map from an environment. */
export function parseTokenMap(
  env: Record<string, string | undefined>,
): { tokens: TokenMap; plain: Record<string, string> } {
  if (!env.BSS_API_TOKEN) throw new TokenConfigError("BSS_API_TOKEN must be set");
  const plain: Record<string, string> = {};
  const tokens: TokenEntry[] = [];
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
    tokens.push({
      identity,
      digest: digest(value),
      scopes: scopesOf(env, name, identity),
      tenant: tenantOf(env, name),
    });
  }
  return { tokens, plain };
}

/** The identity of a presented token, or undefined. Compares against every entry. */
export function matchToken(tokens: TokenMap, presented: string): TokenEntry | undefined {
  const d = digest(presented);
  let found: TokenEntry | undefined;
  for (const entry of tokens) {
    if (timingSafeEqual(entry.digest, d) && found === undefined) found = entry;
  }
  return found;
}

/** A fresh random token, long enough for the perimeter. */
export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}
