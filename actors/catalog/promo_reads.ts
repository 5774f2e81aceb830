/**
 * Order-time promotion reads (docs/http.md §5 `/promo/*`). Every promo code resolves through the
 * loyalty service, which this deployment does not have, so each read answers as the spec
 * says for that case: not valid, reason `loyalty_not_configured` (the order proceeds at full
 * price), and a customer has no offers. They never raise.
 *
 * @module
 */

/** The reason every promo read gives in this deployment. */
export const LOYALTY_NOT_CONFIGURED = "loyalty_not_configured";

/** What a typed code would take off an offering's price (display subset of validation). */
export interface PromoPreview {
  valid: boolean;
  code: string;
  offering: string;
  label: string | null;
  name: string | null;
  base: string | null;
  effective: string | null;
  reason: string | null;
}

/** A typed code checked for an order: the discount terms COM would stamp on the item. */
export interface PromoValidation extends PromoPreview {
  offerDefinitionId: string | null;
  loyaltyOfferId: string | null;
  discountType: string | null;
  discountValue: string | null;
  durationKind: string | null;
  periodsTotal: number | null;
  discountPeriodsTotal: number | null;
}

/** Checks `code` for an order of `offering`. */
export function validatePromo(code: string, offering: string): PromoValidation {
  return {
    valid: false,
    code,
    offering,
    reason: LOYALTY_NOT_CONFIGURED,
    name: null,
    offerDefinitionId: null,
    loyaltyOfferId: null,
    discountType: null,
    discountValue: null,
    durationKind: null,
    periodsTotal: null,
    discountPeriodsTotal: null,
    base: null,
    effective: null,
    label: null,
  };
}

/** Previews `code` on `offering`: the display subset of {@link validatePromo}. */
export function previewPromo(code: string, offering: string): PromoPreview {
  const { valid, label, name, base, effective, reason } = validatePromo(code, offering);
  return { valid, code, offering, label, name, base, effective, reason };
}

/** The best targeted promotion a customer is eligible for on an offering: none here. */
export function resolveEligiblePromo(): { valid: false; reason: string } {
  return { valid: false, reason: LOYALTY_NOT_CONFIGURED };
}

/** A customer's eligible targeted offers: none without loyalty. */
export function customerOffers(customerId: string): { customerId: string; offers: never[] } {
  return { customerId, offers: [] };
}
