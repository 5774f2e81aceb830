/**
 * The wire models of the subscription service (docs/http.md §9.2) and its request bodies.
 * Subscriptions carry `atType` (not `@type`); balances carry no type key.
 *
 * @module
 */
import { z } from "zod";
import { camelOrSnake } from "../payment/snake_case.ts";

const Id = z.string().min(1).max(64);
const Instant = z.iso.datetime({ offset: true });
const Amount = z.string().regex(/^\d{1,10}(\.\d{1,2})?$/, 'a decimal string, e.g. "25.00"');

/** The subscription states of docs/domain.md §3. */
export const SUBSCRIPTION_STATES = ["pending", "active", "blocked", "terminated"] as const;

/** The allowance types a bundle may hold. */
export const ALLOWANCE_TYPES = ["data", "voice", "sms", "data_roaming"] as const;

/** The price a subscription was sold at, frozen at order time. */
export const PriceSnapshot = z.object({
  priceAmount: Amount,
  priceCurrency: z.string().regex(/^[A-Z]{3}$/),
  priceOfferingPriceId: Id,
  discountType: z.string().nullish(),
  discountValue: z.union([z.string(), z.number()]).transform(String).pipe(Amount).nullish(),
  discountPeriodsTotal: z.number().int().min(-1).nullish(),
  promoCode: z.string().nullish(),
  promoOfferDefinitionId: z.string().nullish(),
});

/** `BundleBalance`: one allowance of the current period (`-1` = unlimited). */
export const BundleBalance = z.object({
  id: z.string(),
  subscriptionId: z.string(),
  allowanceType: z.enum(ALLOWANCE_TYPES),
  total: z.number().int(),
  consumed: z.number().int(),
  remaining: z.number().int(),
  unit: z.string(),
  periodStart: Instant,
  periodEnd: Instant,
});

/** `Subscription`. */
export const Subscription = z.object({
  atType: z.literal("Subscription"),
  id: z.string(),
  href: z.string(),
  customerId: z.string(),
  offeringId: z.string(),
  msisdn: z.string(),
  iccid: z.string(),
  cfsServiceId: z.string().nullable(),
  state: z.enum(SUBSCRIPTION_STATES),
  stateReason: z.string().nullable(),
  activatedAt: Instant.nullable(),
  currentPeriodStart: Instant.nullable(),
  currentPeriodEnd: Instant.nullable(),
  nextRenewalAt: Instant.nullable(),
  terminatedAt: Instant.nullable(),
  balances: z.array(BundleBalance),
  priceAmount: z.string(),
  priceCurrency: z.string(),
  priceOfferingPriceId: z.string().nullable(),
  pendingOfferingId: z.string().nullable(),
  pendingOfferingPriceId: z.string().nullable(),
  pendingEffectiveAt: Instant.nullable(),
  discountType: z.string().nullable(),
  discountValue: z.string().nullable(),
  discountPeriodsRemaining: z.number().int(),
  effectiveAmount: z.string(),
  promoCode: z.string().nullable(),
  promoOfferDefinitionId: z.string().nullable(),
  activationCode: z.string().nullable(),
  qrPayload: z.string().nullable(),
});

/** The body of `POST /subscription`. */
export const NewSubscription = camelOrSnake(z.object({
  customerId: Id,
  offeringId: Id,
  msisdn: z.string().regex(/^[0-9]{4,15}$/, "an MSISDN is 4–15 digits"),
  iccid: z.string().regex(/^[0-9]{18,22}$/, "an ICCID is 18–22 digits"),
  paymentMethodId: Id,
  priceSnapshot: PriceSnapshot.optional(),
  commercialOrderId: Id.optional(),
  cfsServiceId: Id.optional(),
}));

/** The body of `POST /subscription/{id}/vas-purchase`. */
export const VasPurchase = camelOrSnake(z.object({ vasOfferingId: Id }));

/** The optional body of `POST /subscription/{id}/terminate`. */
export const Termination = camelOrSnake(z.object({
  reason: z.string().min(1).max(200).default("customer_requested"),
  releaseInventory: z.boolean().default(true),
})).optional();

/** The body of `POST /subscription/{id}/schedule-plan-change`. */
export const PlanChange = camelOrSnake(z.object({ newOfferingId: Id }));

/** The body of `POST /admin/subscription/migrate-price`. */
export const PriceMigration = camelOrSnake(z.object({
  offeringId: Id,
  newPriceId: Id,
  effectiveFrom: Instant,
  noticeDays: z.number().int().min(0).max(365).default(30),
  initiatedBy: z.string().min(1).max(100),
}));

/** The reply of `POST /admin/subscription/migrate-price`. */
export const PriceMigrationResult = z.object({
  count: z.number().int(),
  subscriptionIds: z.array(z.string()),
});
