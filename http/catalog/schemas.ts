/**
 * The catalog's wire shapes (docs/http.md §5.2), as zod schemas shared by the routes, their typed
 * clients and the OpenAPI document. TMF resources carry `@type` (and `href` where the spec
 * lists one); money is a decimal string (`"25.00"`) in code and, in TMF Money, a JSON number on
 * the wire (`http/tmf.ts`); instants ISO-8601 with `Z`.
 *
 * @module
 */
import { z } from "zod";
import { ALLOWANCE_UNITS, PROMOTION_STATES } from "../../actors/catalog/model.ts";
import { MoneyValue } from "../tmf.ts";

/** The TMF620 API prefix. */
export const TMF620 = "/tmf-api/productCatalogManagement/v4";
/** The TMF671-shaped promotion API prefix. */
export const TMF671 = "/tmf-api/promotionManagement/v4";

const Instant = z.iso.datetime({ offset: true });
/** Money on the wire: a decimal string with two places. */
export const Money = z.string().regex(/^-?\d+\.\d{2}$/);

/** TMF TimePeriod; a resource without either bound has `validFor: null`. */
export const TimePeriod = z.object({
  startDateTime: Instant.nullable(),
  endDateTime: Instant.nullable(),
});

/** TMF620 ProductOfferingPrice. */
export const ProductOfferingPrice = z.object({
  "@type": z.literal("ProductOfferingPrice"),
  id: z.string(),
  href: z.string(),
  priceType: z.enum(["recurring", "one_time"]),
  recurringChargePeriodLength: z.number().int().nullable(),
  recurringChargePeriodType: z.string().nullable(),
  price: z.object({ taxIncludedAmount: z.object({ value: MoneyValue, unit: z.string() }) }),
  validFor: TimePeriod.nullable(),
});

const allowanceTypes = Object.keys(ALLOWANCE_UNITS) as [keyof typeof ALLOWANCE_UNITS];

/** A bundle allowance of an offering; quantity -1 is unlimited. */
export const BundleAllowance = z.object({
  allowanceType: z.enum(allowanceTypes),
  quantity: z.number().int(),
  unit: z.enum(["mb", "minutes", "count"]),
});

/** TMF620 ProductOffering with the bundle extension. */
export const ProductOffering = z.object({
  "@type": z.literal("ProductOffering"),
  id: z.string(),
  href: z.string(),
  name: z.string().nullable(),
  isBundle: z.boolean(),
  isSellable: z.boolean().nullable(),
  lifecycleStatus: z.string().nullable(),
  validFor: TimePeriod.nullable(),
  productSpecification: z.object({
    "@type": z.literal("ProductSpecificationRef"),
    id: z.string(),
    href: z.string(),
    name: z.string().nullable(),
  }).nullable(),
  productOfferingPrice: z.array(ProductOfferingPrice),
  bundleAllowance: z.array(BundleAllowance),
});

/** TMF620 ProductSpecification. */
export const ProductSpecification = z.object({
  "@type": z.literal("ProductSpecification"),
  id: z.string(),
  href: z.string(),
  name: z.string().nullable(),
  description: z.string().nullable(),
  brand: z.string().nullable(),
  lifecycleStatus: z.string().nullable(),
});

/** A value-added service offering (no `@type`, no `href`). */
export const VasOffering = z.object({
  id: z.string(),
  name: z.string().nullable(),
  priceAmount: Money,
  currency: z.string(),
  allowanceType: z.string().nullable(),
  allowanceQuantity: z.number().int().nullable(),
  allowanceUnit: z.string().nullable(),
  expiryHours: z.number().int().nullable(),
});

/** A CFS or RFS service specification. */
export const ServiceSpecification = z.object({
  id: z.string(),
  name: z.string().nullable(),
  type: z.enum(["CFS", "RFS"]).nullable(),
  parameters: z.record(z.string(), z.unknown()).nullable(),
});

/** What an offering decomposes into: one CFS and its RFS children. */
export const ServiceMapping = z.object({
  offeringId: z.string(),
  cfs: ServiceSpecification,
  rfs: z.array(ServiceSpecification),
});

/** A TMF671-shaped promotion (no href). */
export const Promotion = z.object({
  "@type": z.literal("Promotion"),
  id: z.string(),
  code: z.string().nullable(),
  name: z.string().nullable(),
  audience: z.enum(["public", "targeted"]),
  offerDefinitionId: z.string().nullable(),
  discountType: z.enum(["percent", "absolute"]),
  discountValue: Money,
  currency: z.string(),
  applicableOfferingIds: z.array(z.string()).nullable(),
  durationKind: z.enum(["single", "multi", "perpetual"]),
  periodsTotal: z.number().int().nullable(),
  validFrom: Instant.nullable(),
  validTo: Instant.nullable(),
  state: z.enum(PROMOTION_STATES),
});

/** `/promo/preview`: money as strings or null. */
export const PromoPreview = z.object({
  valid: z.boolean(),
  code: z.string(),
  offering: z.string(),
  label: z.string().nullable(),
  name: z.string().nullable(),
  base: Money.nullable(),
  effective: Money.nullable(),
  reason: z.string().nullable(),
});

const DiscountTerms = {
  name: z.string().nullable(),
  offerDefinitionId: z.string().nullable(),
  loyaltyOfferId: z.string().nullable(),
  discountType: z.string().nullable(),
  discountValue: Money.nullable(),
  durationKind: z.string().nullable(),
  periodsTotal: z.number().int().nullable(),
  discountPeriodsTotal: z.number().int().nullable(),
  base: Money.nullable(),
  effective: Money.nullable(),
  label: z.string().nullable(),
};

/** `/promo/validate`: the discount terms COM stamps on an order item. */
export const PromoValidate = z.object({
  valid: z.boolean(),
  code: z.string(),
  offering: z.string(),
  reason: z.string().nullable(),
  ...DiscountTerms,
});

/** `/promo/resolve-eligible`: the best eligible targeted promotion, or why there is none. */
export const PromoResolve = z.discriminatedUnion("valid", [
  z.object({ valid: z.literal(false), reason: z.string() }),
  z.object({ valid: z.literal(true), code: z.string(), promotionId: z.string(), ...DiscountTerms }),
]);

/** One eligible targeted offer of a customer (snake_case). */
export const CustomerOffer = z.object({
  promotion_id: z.string(),
  code: z.string().nullable(),
  offer_definition_id: z.string().nullable(),
  state: z.literal("eligible"),
  promotion: z.object({
    promotion_id: z.string(),
    name: z.string().nullable(),
    discount_type: z.string(),
    discount_value: Money,
    duration_kind: z.string(),
    periods_total: z.number().int().nullable(),
    label: z.string(),
  }),
});

/** `/promo/customer-offers`. */
export const CustomerOffers = z.object({
  customerId: z.string(),
  offers: z.array(CustomerOffer),
});

/** The reply of a targeted assign (snake_case). */
export const AssignResult = z.object({
  promotion_id: z.string(),
  code: z.string().nullable(),
  eligible: z.array(z.string()),
  already: z.array(z.string()),
});

/** The reply of a targeted unassign (snake_case). */
export const UnassignResult = z.object({
  promotion_id: z.string(),
  code: z.string().nullable(),
  removed: z.array(z.string()),
  not_eligible: z.array(z.string()),
});
