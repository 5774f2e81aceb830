/**
 * KYC attestation rules (docs/domain.md §4.1): a document is given, the attestation is
 * corroborated, and one identity document backs one customer per tenant.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import { PolicyViolation } from "../../kernel/errors.ts";
import type { KycCorroboration } from "./options.ts";

/** How long a didit webhook verdict corroborates an attestation. */
export const CORROBORATION_WINDOW_SECONDS = 30 * 60;

/** The document as the attestation gives it: raw, or already hashed by the caller. */
export type GivenDocument =
  | { number: string }
  | { hash: string; last4: string };

/**
 * `customer.attest_kyc.document_required`: a raw number, or both its last four characters
 * and its hash.
 */
export function requireDocument(a: {
  provider: string;
  document_number?: string;
  document_number_last4?: string;
  document_number_hash?: string;
}): GivenDocument {
  if (a.document_number) return { number: a.document_number };
  if (a.document_number_last4 && a.document_number_hash) {
    return { hash: a.document_number_hash, last4: a.document_number_last4 };
  }
  throw new PolicyViolation(
    "customer.attest_kyc.document_required",
    "give document_number, or document_number_last4 with document_number_hash",
    { provider: a.provider },
  );
}

/** What the signature rule needs to know. */
export interface CorroborationSettings {
  allowPrebaked: boolean;
  findCorroboration(id: string): Promise<KycCorroboration | undefined>;
}

function uncorroborated(message: string, context: Record<string, unknown>): PolicyViolation {
  return new PolicyViolation("kyc.attestation.uncorroborated", message, {
    ...context,
    policy: "customer.attest_kyc.attestation_signature_valid",
  });
}

/**
 * `kyc.attestation.uncorroborated`: a didit attestation names a didit webhook verdict that
 * is `Approved` and at most 30 minutes old; any other provider needs prebaked attestations
 * allowed and a `signature` in its payload.
 */
export async function requireCorroboration(
  a: {
    provider: string;
    corroboration_id?: string | null;
    attestation_payload: Record<string, unknown>;
  },
  settings: CorroborationSettings,
  now: Date,
): Promise<void> {
  if (a.provider !== "didit") {
    if (!settings.allowPrebaked) {
      throw uncorroborated("prebaked attestations are not accepted here", {
        provider: a.provider,
      });
    }
    if (!("signature" in a.attestation_payload)) {
      throw uncorroborated("the attestation payload carries no signature", {
        provider: a.provider,
      });
    }
    return;
  }
  const id = a.corroboration_id;
  if (!id) {
    throw uncorroborated("a didit attestation needs a corroboration_id", { provider: "didit" });
  }
  const found = await settings.findCorroboration(id);
  if (!found || found.provider !== "didit") {
    throw uncorroborated(`no didit corroboration ${id}`, { corroboration_id: id });
  }
  if (found.decisionStatus !== "Approved") {
    throw uncorroborated(`corroboration ${id} is ${found.decisionStatus}`, {
      corroboration_id: id,
      decision_status: found.decisionStatus,
    });
  }
  const age = Math.floor((now.getTime() - found.receivedAt.getTime()) / 1000);
  if (age > CORROBORATION_WINDOW_SECONDS) {
    throw uncorroborated(`corroboration ${id} is ${age} s old`, {
      corroboration_id: id,
      age_seconds: age,
    });
  }
}

/** The violation of `customer.attest_kyc.document_hash_unique_per_tenant`. */
export function documentInUse(documentType: string): PolicyViolation {
  return new PolicyViolation(
    "customer.attest_kyc.document_hash_unique_per_tenant",
    "this identity document already backs another customer",
    { document_type: documentType },
  );
}

/**
 * `customer.attest_kyc.document_hash_unique_per_tenant`: no other customer of the tenant is
 * backed by the same document. In sandbox reuse mode the document is re-linked instead: the
 * other customer's identity row goes.
 */
export async function claimDocument(
  sql: Sql,
  doc: { customerId: string; documentType: string; hash: string; tenant: string },
  reuse: boolean,
): Promise<void> {
  const [other] = await sql`select customer_id from crm.customer_identity
    where document_type = ${doc.documentType} and document_number_hash = ${doc.hash}
      and tenant_id = ${doc.tenant} and customer_id <> ${doc.customerId}`;
  if (!other) return;
  if (!reuse) throw documentInUse(doc.documentType);
  await sql`delete from crm.customer_identity where customer_id = ${other.customer_id}`;
}
