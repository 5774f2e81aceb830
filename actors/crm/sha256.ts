/**
 * SHA-256 as lowercase hex, for document fingerprints and transcript hashes.
 *
 * @module
 */

/** The SHA-256 hex digest of `text` (UTF-8). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
