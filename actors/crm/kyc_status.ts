/**
 * A customer's KYC standing (docs/http.md §6.4 `kyc-status`), with a passed expiry read as
 * `expired`.
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import type { Sql } from "../../kernel/db/types.ts";
import { effectiveKycStatus } from "./customer_queries.ts";
import { iso } from "./rows.ts";

/** The KYC status reply. */
export interface KycStatusView {
  customer_id: string;
  kyc_status: string;
  kyc_verified_at: string | null;
  kyc_verification_method: string | null;
  kyc_reference: string | null;
  kyc_expires_at: string | null;
}

/** The customer's KYC standing, or undefined for an unknown customer. */
export async function getKycStatus(
  sql: Sql,
  customerId: string,
): Promise<KycStatusView | undefined> {
  const [r] = await sql`select id, kyc_status, kyc_verified_at, kyc_verification_method,
      kyc_reference, kyc_expires_at
    from crm.customer where id = ${customerId}`;
  if (!r) return undefined;
  return {
    customer_id: r.id,
    kyc_status: effectiveKycStatus(r.kyc_status, r.kyc_expires_at, clock.now()),
    kyc_verified_at: iso(r.kyc_verified_at),
    kyc_verification_method: r.kyc_verification_method,
    kyc_reference: r.kyc_reference,
    kyc_expires_at: iso(r.kyc_expires_at),
  };
}
