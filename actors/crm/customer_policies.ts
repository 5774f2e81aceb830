/**
 * Customer write rules (docs/domain.md §4.1), one function per rule family. Each throws the rule's
 * PolicyViolation with the documented context keys.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import { PolicyViolation } from "../../kernel/errors.ts";

/** `customer.create.requires_contact_medium`: a customer is created with a way to reach it. */
export function requireContactMedium(media: readonly unknown[]): void {
  if (media.length === 0) {
    throw new PolicyViolation(
      "customer.create.requires_contact_medium",
      "a customer needs at least one contact medium",
    );
  }
}

/**
 * `customer.create.email_unique` (create, add email medium): no live email medium has this
 * value. The partial unique index is the backstop for concurrent writers.
 */
export async function requireEmailFree(sql: Sql, email: string): Promise<void> {
  const [taken] = await sql`select 1 from crm.contact_medium
    where medium_type = 'email' and value = ${email} and valid_to is null`;
  if (taken) throw emailTaken(email);
}

/** The violation of `customer.create.email_unique` for `email`. */
export function emailTaken(email: string): PolicyViolation {
  return new PolicyViolation(
    "customer.create.email_unique",
    `email ${email} is already in use`,
    { email },
  );
}

/**
 * `customer.close.no_active_subscriptions`: an `active` customer keeps that status while it
 * has `active|pending` subscriptions.
 */
export function requireNoLiveSubscriptions(
  customerId: string,
  from: string,
  to: string,
  liveSubscriptions: number,
): void {
  if (from === "active" && to !== "active" && liveSubscriptions > 0) {
    throw new PolicyViolation(
      "customer.close.no_active_subscriptions",
      `customer ${customerId} has ${liveSubscriptions} active or pending subscription(s)`,
      { customer_id: customerId, active_subscriptions: liveSubscriptions },
    );
  }
}

/** `customer.individual.update.no_fields`: a name update names at least one name. */
export function requireIndividualFields(
  customerId: string,
  m: { givenName?: string; familyName?: string },
): void {
  if (m.givenName === undefined && m.familyName === undefined) {
    throw new PolicyViolation(
      "customer.individual.update.no_fields",
      "give a givenName, a familyName or both",
      { customer_id: customerId },
    );
  }
}

/**
 * `customer.contact_medium.email_must_use_change_flow`: an email address changes only
 * through the verified email-change flow, never by a direct edit.
 */
export function refuseDirectEmailEdit(customerId: string, cmId: string, type: string): void {
  if (type === "email") {
    throw new PolicyViolation(
      "customer.contact_medium.email_must_use_change_flow",
      "email addresses change through the email-change flow",
      { customer_id: customerId, cm_id: cmId },
    );
  }
}
