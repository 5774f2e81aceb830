/**
 * Stripe's webhook signature (docs/providers.md §3.4): `Stripe-Signature: t=<seconds>,v1=<hex>`
 * (several `v1` when a secret is being rolled), where each `v1` is HMAC-SHA256 keyed with the
 * endpoint's secret over `<t>.<raw body>`. A signature is accepted when one `v1` matches, in
 * constant time, and `t` is within the tolerance of now (a replayed old delivery is refused).
 *
 * @module
 */

/** Why a delivery's signature was refused; the webhook answers it as its error code. */
export type SignatureRefusal =
  | "missing_header"
  | "malformed_header"
  | "replay_window"
  | "signature_mismatch";

/** A delivery whose signature does not hold. */
export class SignatureRefused extends Error {
  override name = "SignatureRefused";
  constructor(readonly code: SignatureRefusal) {
    super(`webhook signature refused: ${code}`);
  }
}

/** Stripe's default tolerance between the signature's time and now. */
export const TOLERANCE_SECONDS = 300;

/** The hex HMAC-SHA256 of `payload` keyed with the UTF-8 bytes of `secret`. */
export async function hmacHex(secret: string, payload: string): Promise<string> {
  const text = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    text.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, text.encode(payload)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Compares two strings in time that depends on their length only. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Throws {@link SignatureRefused} unless `header` signs `body` with `secret` at a time within
 * `tolerance` seconds of `now`. A `t` above 10¹² is read as milliseconds.
 */
export async function verifyStripeSignature(
  header: string | null | undefined,
  body: string,
  secret: string,
  now: Date,
  tolerance = TOLERANCE_SECONDS,
): Promise<void> {
  if (!header?.trim()) throw new SignatureRefused("missing_header");
  const pairs = header.split(",").map((part) => part.trim().split("="));
  const t = pairs.find(([k]) => k === "t")?.[1];
  const signatures = pairs.filter(([k, v]) => k === "v1" && v).map(([, v]) => v.toLowerCase());
  if (!t || !/^\d+$/.test(t) || signatures.length === 0) {
    throw new SignatureRefused("malformed_header");
  }
  const seconds = Number(t) > 1e12 ? Math.floor(Number(t) / 1000) : Number(t);
  if (Math.abs(now.getTime() / 1000 - seconds) > tolerance) {
    throw new SignatureRefused("replay_window");
  }
  const expected = await hmacHex(secret, `${t}.${body}`);
  if (!signatures.some((s) => sameText(s, expected))) {
    throw new SignatureRefused("signature_mismatch");
  }
}
