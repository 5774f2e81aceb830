/**
 * The portal's one-time secrets: 6-digit codes and 32-character link tokens from the CSPRNG,
 * stored only as `HMAC-SHA256(pepper, secret)` hex and compared in constant time. Ids are
 * `<PREFIX>-<16 hex>`; cookie values are 32 random URL-safe characters.
 *
 * @module
 */
import { createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";

/** The stored form of `secret` under `pepper`: 64 hex characters. */
export function digestOf(pepper: string, secret: string): string {
  return createHmac("sha256", pepper).update(secret).digest("hex");
}

/** Whether `secret` digests to `stored`, in constant time. */
export function matches(pepper: string, secret: string, stored: string): boolean {
  const a = Buffer.from(digestOf(pepper, secret), "hex");
  const b = Buffer.from(stored, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A 6-digit code, leading zeros kept. */
export function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

/** 24 random bytes, URL-safe: 32 characters (magic links, grants, session ids). */
export function newToken(): string {
  return randomBytes(24).toString("base64url");
}

/** `IDN-…`, `LTK-…`, `SUP-…`: a prefix and 16 random hex digits. */
export function newId(prefix: string): string {
  return `${prefix}-${randomBytes(8).toString("hex")}`;
}
