/**
 * What the CRM's pages read of the tools' answers (the fields shown), and how a time reads.
 *
 * @module
 */
import type { MySubscription } from "../../lines.ts";

/** A customer as `customer.get` / `customer.list` answer it. */
export interface Customer {
  id: string;
  name: string;
  status: string;
  kycStatus: string;
  customerSince: string | null;
  contactMedium: { id: string; mediumType: string; value: string; isPrimary: boolean }[];
}

/**
 * A line as `subscription.get` answers it: the portal's subscription fields (balances in the
 * reference's shape), and the ones only staff see.
 */
export type Line = MySubscription & { stateReason: string | null; activatedAt: string | null };

/** A case as `case.get` / `case.list` answer it. */
export interface CaseRow {
  id: string;
  customer_id: string;
  subject: string;
  description: string | null;
  state: string;
  priority: string;
  category: string;
  opened_at: string;
  closed_at: string | null;
  notes: { id: string; author_agent_id: string | null; body: string; created_at: string }[];
  ticket_ids: string[];
}

/** `2026-12-08 14:05` (UTC), or `—`. */
export function when(iso: string | null | undefined): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : "—";
}
