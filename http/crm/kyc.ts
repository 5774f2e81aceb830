/**
 * KYC over HTTP (docs/http.md §6.4, snake_case): attest a customer's identity, read its KYC
 * standing. A plain document number is reduced to its fingerprint before anything is stored
 * or sent to the customer actor.
 *
 * @module
 */
import { z } from "zod";
import { attestKyc as attest } from "../../actors/crm/kyc_attestation.ts";
import { getKycStatus } from "../../actors/crm/kyc_status.ts";
import { type CrmOptions, noCorroborations } from "../../actors/crm/options.ts";
import { DOCUMENT_TYPES, KYC_PROVIDERS } from "../../actors/crm/vocab.ts";
import { NotFound } from "../../kernel/errors.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { Instant, Text, Timestamp } from "./wire.ts";

const PREFIX = "/crm-api/v1/customer/:id";

/** The KYC attestation body (docs/http.md §6.4 KycAttestation), plus an optional `expires_at`. */
export const KycAttestation = z.object({
  provider: z.enum(KYC_PROVIDERS),
  provider_reference: Text.max(200),
  document_type: z.enum(DOCUMENT_TYPES),
  /** Raw number; only its hash and last four characters are kept. */
  document_number: Text.min(4).max(64).optional(),
  document_number_last4: Text.max(4).optional(),
  document_number_hash: z.string().regex(/^[0-9a-fA-F]{64}$/)
    .transform((h) => h.toLowerCase()).optional(),
  /** ISO 3166 alpha-2. */
  document_country: z.string().trim().regex(/^[A-Za-z]{2}$/).transform((c) => c.toUpperCase()),
  date_of_birth: z.iso.date(),
  nationality: Text.max(100).nullable().optional(),
  verified_at: Instant,
  /** When the verification stops counting (the KYC status then reads `expired`). */
  expires_at: Instant.nullable().optional(),
  attestation_payload: z.record(z.string(), z.unknown()),
  /** Required when provider is `didit`: the webhook verdict that corroborates it. */
  corroboration_id: z.uuid().nullable().optional(),
});

/** `POST /crm-api/v1/customer/{id}/kyc-attestation`. */
export const attestKyc = defineRoute({
  method: "POST",
  path: `${PREFIX}/kyc-attestation`,
  summary: "Attest a customer's identity (KYC → verified)",
  params: z.object({ id: z.string() }),
  body: KycAttestation,
  response: z.object({
    customer_id: z.string(),
    kyc_status: z.literal("verified"),
    provider: z.string(),
    verified_at: Timestamp,
  }),
});

/** `GET /crm-api/v1/customer/{id}/kyc-status`. */
export const kycStatus = defineRoute({
  method: "GET",
  path: `${PREFIX}/kyc-status`,
  summary: "A customer's KYC standing",
  params: z.object({ id: z.string() }),
  response: z.object({
    customer_id: z.string(),
    kyc_status: z.string(),
    kyc_verified_at: Timestamp.nullable(),
    kyc_verification_method: z.string().nullable(),
    kyc_reference: z.string().nullable(),
    kyc_expires_at: Timestamp.nullable(),
  }),
});

/** The KYC endpoints. Prebaked attestations are refused in production unless told otherwise. */
export function kycEndpoints(deps: Deps, options: CrmOptions = {}): Endpoint[] {
  const settings = {
    allowPrebaked: options.allowPrebakedKyc ?? deps.config.BSS_ENV !== "production",
    findCorroboration: options.findKycCorroboration ?? noCorroborations,
  };
  return [
    endpoint(attestKyc, ({ params, body }) => attest(deps, params.id, body, settings)),
    endpoint(kycStatus, async ({ params }) => {
      const status = await getKycStatus(deps.sql, params.id);
      if (!status) throw new NotFound("Customer", params.id);
      return status;
    }),
  ];
}
