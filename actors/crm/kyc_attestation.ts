/**
 * KYC attestation (docs/domain.md §3 "KYC", §4.1; docs/http.md §6.4): the edge checks the document and
 * the attestation's corroboration and reduces the document to its fingerprint; the customer
 * actor then records the identity and marks the customer `verified`.
 *
 * @module
 */
import type { ActorSystem } from "../runtime/system.ts";
import type { Turn } from "../runtime/types.ts";
import { clock } from "../../kernel/clock.ts";
import type { Sql } from "../../kernel/db/types.ts";
import { NotFound } from "../../kernel/errors.ts";
import type { AttestKyc } from "./customer_messages.ts";
import { customerExists } from "./customer_queries.ts";
import { emitCustomerEvent, requireCustomer } from "./customer_turn.ts";
import { logInteraction } from "./interactions.ts";
import { fingerprint, redactDocument } from "./kyc_document.ts";
import {
  claimDocument,
  type CorroborationSettings,
  documentInUse,
  requireCorroboration,
  requireDocument,
} from "./kyc_policies.ts";
import { isUniqueViolation } from "./rows.ts";
import type { DocumentType, KycProvider } from "./vocab.ts";

/** An attestation as the KYC route receives it (docs/http.md §6.4 KycAttestation). */
export interface KycAttestationInput {
  provider: KycProvider;
  provider_reference: string;
  document_type: DocumentType;
  document_number?: string;
  document_number_last4?: string;
  document_number_hash?: string;
  document_country: string;
  date_of_birth: string;
  nationality?: string | null;
  /** ISO-8601 instant. */
  verified_at: string;
  /** ISO-8601 instant after which the verification no longer counts. */
  expires_at?: string | null;
  attestation_payload: Record<string, unknown>;
  corroboration_id?: string | null;
}

/** The reply of an attestation. */
export interface KycAttested {
  customer_id: string;
  kyc_status: "verified";
  provider: string;
  verified_at: string;
}

/** The actor message for `a`: document rules checked, the number reduced to a fingerprint. */
export async function attestationMessage(
  a: KycAttestationInput,
  settings: CorroborationSettings,
): Promise<AttestKyc> {
  const doc = requireDocument(a);
  await requireCorroboration(a, settings, clock.now());
  const fp = "number" in doc ? await fingerprint(doc.number, a.document_country, a.provider) : doc;
  const scrub = <T>(v: T) => ("number" in doc ? redactDocument(v, doc.number) : v);
  return {
    type: "attest_kyc",
    provider: a.provider,
    providerReference: scrub(a.provider_reference),
    documentType: a.document_type,
    documentNumberHash: fp.hash,
    documentNumberLast4: fp.last4,
    documentCountry: a.document_country,
    dateOfBirth: a.date_of_birth,
    nationality: a.nationality ?? null,
    verifiedAt: a.verified_at,
    expiresAt: a.expires_at ?? null,
    attestationPayload: scrub(a.attestation_payload),
    corroborationId: a.corroboration_id ?? null,
  };
}

/** Attests `customerId`'s identity: 404 for an unknown customer, then the rules, then the actor. */
export async function attestKyc(
  deps: { sql: Sql; system: ActorSystem },
  customerId: string,
  a: KycAttestationInput,
  settings: CorroborationSettings,
): Promise<KycAttested> {
  if (!await customerExists(deps.sql, customerId)) throw new NotFound("Customer", customerId);
  const message = await attestationMessage(a, settings);
  return await deps.system.ask<KycAttested>("customer", customerId, message);
}

/** `attest_kyc` in the customer actor: any KYC status → `verified`. */
export async function recordAttestation(
  turn: Turn,
  m: AttestKyc,
  docReuse: boolean,
): Promise<KycAttested> {
  await requireCustomer(turn);
  const { sql } = turn;
  const tenant = turn.caller.tenant;
  await claimDocument(
    sql,
    { customerId: turn.key, documentType: m.documentType, hash: m.documentNumberHash, tenant },
    docReuse,
  );
  try {
    // The payload goes as text: a jsonb-typed parameter would be JSON-encoded a second time.
    await sql`
      insert into crm.customer_identity (customer_id, document_type, document_number_hash,
        document_number_last4, document_country, date_of_birth, nationality, verified_by,
        attestation_payload, verified_at, corroboration_id, tenant_id)
      values (${turn.key}, ${m.documentType}, ${m.documentNumberHash}, ${m.documentNumberLast4},
        ${m.documentCountry}, ${m.dateOfBirth}, ${m.nationality}, ${m.provider},
        ${JSON.stringify(m.attestationPayload)}::text::jsonb, ${m.verifiedAt},
        ${m.corroborationId}, ${tenant})
      on conflict (customer_id) do update set
        document_type = excluded.document_type,
        document_number_hash = excluded.document_number_hash,
        document_number_last4 = excluded.document_number_last4,
        document_country = excluded.document_country,
        date_of_birth = excluded.date_of_birth,
        nationality = excluded.nationality,
        verified_by = excluded.verified_by,
        attestation_payload = excluded.attestation_payload,
        verified_at = excluded.verified_at,
        corroboration_id = excluded.corroboration_id,
        updated_at = kernel.bss_now()`;
  } catch (e) {
    // Another customer's attestation of the same document committed first.
    if (isUniqueViolation(e, "uq_customer_identity_doc")) throw documentInUse(m.documentType);
    throw e;
  }
  await sql`update crm.customer set kyc_status = 'verified', kyc_verified_at = ${m.verifiedAt},
      kyc_verification_method = ${m.provider}, kyc_reference = ${m.providerReference},
      kyc_expires_at = ${m.expiresAt}, updated_at = kernel.bss_now()
    where id = ${turn.key}`;
  emitCustomerEvent(turn, "customer.kyc_attested", {
    provider: m.provider,
    document_type: m.documentType,
    document_country: m.documentCountry,
    kyc_status: "verified",
  });
  await logInteraction(sql, {
    customerId: turn.key,
    summary: `KYC attested via ${m.provider} (${m.documentType} ...${m.documentNumberLast4})`,
  });
  return {
    customer_id: turn.key,
    kyc_status: "verified",
    provider: m.provider,
    verified_at: new Date(m.verifiedAt).toISOString(),
  };
}
