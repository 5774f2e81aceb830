/**
 * Catalog rows → wire shapes (`schemas.ts`).
 *
 * @module
 */
import type { z } from "zod";
import type {
  Offering,
  PriceRow,
  PromotionRow,
  ServiceMapping as Mapping,
  ServiceSpecificationRow,
  SpecificationRow,
  VasRow,
  Window,
} from "../../actors/catalog/model.ts";
import {
  type ProductOffering,
  type ProductOfferingPrice,
  type ProductSpecification,
  type Promotion,
  type ServiceMapping,
  TMF620,
  type VasOffering,
} from "./schemas.ts";

type Wire<S extends z.ZodType> = z.input<S>;

const iso = (at: Date | null) => at?.toISOString() ?? null;

/** A TMF TimePeriod, or null when neither bound is set. */
function validFor(w: Window) {
  if (!w.valid_from && !w.valid_to) return null;
  return { startDateTime: iso(w.valid_from), endDateTime: iso(w.valid_to) };
}

/** A price row as TMF620 ProductOfferingPrice. */
export function toPrice(p: PriceRow): Wire<typeof ProductOfferingPrice> {
  return {
    "@type": "ProductOfferingPrice",
    id: p.id,
    href: `${TMF620}/productOfferingPrice/${p.id}`,
    priceType: p.price_type,
    recurringChargePeriodLength: p.recurring_period_length,
    recurringChargePeriodType: p.recurring_period_type,
    price: { taxIncludedAmount: { value: p.amount, unit: p.currency } },
    validFor: validFor(p),
  };
}

/** An offering as TMF620 ProductOffering. */
export function toOffering(o: Offering): Wire<typeof ProductOffering> {
  return {
    "@type": "ProductOffering",
    id: o.id,
    href: `${TMF620}/productOffering/${o.id}`,
    name: o.name,
    isBundle: o.is_bundle,
    isSellable: o.is_sellable,
    lifecycleStatus: o.lifecycle_status,
    validFor: validFor(o),
    productSpecification: o.spec_id === null ? null : {
      "@type": "ProductSpecificationRef",
      id: o.spec_id,
      href: `${TMF620}/productSpecification/${o.spec_id}`,
      name: o.spec_name,
    },
    productOfferingPrice: o.prices.map(toPrice),
    bundleAllowance: o.allowances.map((a) => ({
      allowanceType: a.allowance_type,
      quantity: a.quantity,
      unit: a.unit,
    })),
  };
}

/** A product specification as TMF620 ProductSpecification. */
export function toSpecification(s: SpecificationRow): Wire<typeof ProductSpecification> {
  return {
    "@type": "ProductSpecification",
    id: s.id,
    href: `${TMF620}/productSpecification/${s.id}`,
    name: s.name,
    description: s.description,
    brand: s.brand,
    lifecycleStatus: s.lifecycle_status,
  };
}

/** A VAS row as VasOffering. */
export function toVas(v: VasRow): Wire<typeof VasOffering> {
  return {
    id: v.id,
    name: v.name,
    priceAmount: v.price_amount,
    currency: v.currency,
    allowanceType: v.allowance_type,
    allowanceQuantity: v.allowance_quantity,
    allowanceUnit: v.allowance_unit,
    expiryHours: v.expiry_hours,
  };
}

const toServiceSpec = (s: ServiceSpecificationRow) => ({
  id: s.id,
  name: s.name,
  type: s.type,
  parameters: s.parameters,
});

/** An offering's decomposition as ServiceMapping. */
export function toServiceMapping(m: Mapping): Wire<typeof ServiceMapping> {
  return { offeringId: m.offering_id, cfs: toServiceSpec(m.cfs), rfs: m.rfs.map(toServiceSpec) };
}

/** A promotion row as the TMF671-shaped Promotion. */
export function toPromotion(p: PromotionRow): Wire<typeof Promotion> {
  return {
    "@type": "Promotion",
    id: p.id,
    code: p.code,
    name: p.name,
    audience: p.audience,
    offerDefinitionId: p.offer_definition_id,
    discountType: p.discount_type,
    discountValue: p.discount_value,
    currency: p.currency,
    applicableOfferingIds: p.applicable_offering_ids,
    durationKind: p.duration_kind,
    periodsTotal: p.periods_total,
    validFrom: iso(p.valid_from),
    validTo: iso(p.valid_to),
    state: p.state,
  };
}
