/**
 * The prebaked KYC provider (docs/providers.md §3.3): the sandbox stand-in for an identity check, used
 * by the `customer.attest_kyc` tool and, later, by the portal's signup. An attestation token
 * becomes a fixed, plausible identity — provider reference `KYC-PREBAKED-001`, a synthetic
 * Singapore NRIC derived from the token, born 1990-01-01 — so scenarios verify customers
 * without a real provider. Different tokens give different documents (the CRM refuses a
 * document that already backs another customer); the same token always gives the same one.
 *
 * Only the document's fingerprint and the token's hash leave this module: neither the NRIC
 * nor the token is stored. The CRM accepts these attestations only outside production (its
 * corroboration rule, which also wants the payload's `signature`).
 *
 * @module
 */
import type { KycAttestationInput } from "./kyc_attestation.ts";
import type { KycProvider } from "./vocab.ts";
import { fingerprint } from "./kyc_document.ts";
import { sha256Hex } from "./sha256.ts";

/** The provider reference every prebaked attestation carries. */
export const PREBAKED_REFERENCE = "KYC-PREBAKED-001";

/** Where the synthetic documents are issued (ISO 3166 alpha-2, as the CRM stores it). */
const COUNTRY = "SG";

/** What the payload's `signature` says: a simulated attestation, not a cryptographic proof. */
const SIGNATURE = "prebaked-simulated-v1";

// The NRIC check letter of an S-series number: weights over the 7 digits, sum mod 11.
const WEIGHTS = [2, 7, 6, 5, 4, 3, 2];
const CHECK_LETTERS = "JZIHGFEDCBA";

/**
 * The synthetic NRIC of `token`: `S`, seven digits taken from SHA-256(token), and the check
 * letter those digits call for.
 */
export async function syntheticNric(token: string): Promise<string> {
  const digest = await sha256Hex(token);
  const digits = String(parseInt(digest.slice(0, 12), 16) % 10_000_000).padStart(7, "0");
  const sum = [...digits].reduce((s, d, i) => s + Number(d) * WEIGHTS[i], 0);
  return `S${digits}${CHECK_LETTERS[sum % 11]}`;
}

/**
 * The attestation of `token`, verified at `verifiedAt` (ISO-8601, the BSS clock's now), in the
 * name of `provider` (the verification method recorded; reference scenarios say `myinfo`): the
 * payload is the same simulated one whatever the name, so the CRM's prebaked gate applies.
 */
export async function prebakedAttestation(
  token: string,
  verifiedAt: string,
  provider: Exclude<KycProvider, "didit"> = "prebaked",
): Promise<KycAttestationInput> {
  const nric = await syntheticNric(token);
  const document = await fingerprint(nric, COUNTRY, provider);
  return {
    provider,
    provider_reference: PREBAKED_REFERENCE,
    document_type: "nric",
    document_number_hash: document.hash,
    document_number_last4: document.last4,
    document_country: COUNTRY,
    date_of_birth: "1990-01-01",
    verified_at: verifiedAt,
    attestation_payload: {
      source: "prebaked",
      token_hash: await sha256Hex(token),
      signature: SIGNATURE,
    },
  };
}
