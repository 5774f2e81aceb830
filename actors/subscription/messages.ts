/**
 * The messages a subscription actor handles. Bodies cross the mailbox as JSON, so instants
 * travel as ISO strings. `activation_outcome` and `compensation_outcome` are the effect
 * runner's reports of the activation saga's effects; `renewal_charged`, `vas_charged` and
 * `refund_outcome` those of the charges renewals and purchases stage (`charge_effects.ts`);
 * `line_freed` that of a termination's line release.
 *
 * @module
 */
import { z } from "zod";
import { outcomeMessage } from "../effects/effect.ts";

const Snapshot = z.object({
  priceAmount: z.string(),
  priceCurrency: z.string(),
  priceOfferingPriceId: z.string(),
  discountType: z.string().nullish(),
  discountValue: z.string().nullish(),
  discountPeriodsTotal: z.number().int().nullish(),
  promoCode: z.string().nullish(),
  promoOfferDefinitionId: z.string().nullish(),
});

/** `create`: charge the first period and activate. */
export const Create = z.object({
  type: z.literal("create"),
  customerId: z.string(),
  offeringId: z.string(),
  msisdn: z.string(),
  iccid: z.string(),
  paymentMethodId: z.string(),
  priceSnapshot: Snapshot.nullish(),
  commercialOrderId: z.string().nullish(),
  cfsServiceId: z.string().nullish(),
  serviceOrderId: z.string().nullish(),
  /** The actor told `subscription_activated|subscription_refused` when it ends. */
  notify: z.object({ kind: z.string(), key: z.string() }).nullish(),
});

/** `usage_rated`: the `usage.rated` event, to decrement a balance. */
export const UsageRated = z.object({
  type: z.literal("usage_rated"),
  usageEventId: z.string(),
  allowanceType: z.string(),
  consumedQuantity: z.number().int(),
});

/** `renewal_due`: the timer (or sweep) of one period boundary. */
export const RenewalDue = z.object({ type: z.literal("renewal_due"), boundary: z.string() });

/** `reminder_due`: the timer of one period's renewal reminder. */
export const ReminderDue = z.object({ type: z.literal("reminder_due"), boundary: z.string() });

/** `unlimited_expired`: the end of a VAS_UNLIMITED_DAY. */
export const UnlimitedExpired = z.object({
  type: z.literal("unlimited_expired"),
  until: z.string(),
});

/** `price_migration`: an operator's move to a new price at a later renewal. */
export const PriceMigration = z.object({
  type: z.literal("price_migration"),
  newPriceId: z.string(),
  newAmount: z.string(),
  newCurrency: z.string(),
  effectiveAt: z.string(),
  initiatedBy: z.string(),
});

/** The catalog's facts on a plan change's target, read before the turn (`plan_change.ts`). */
export const PlanTarget = z.object({
  sellable: z.boolean(),
  price: z.object({ id: z.string(), amount: z.string(), currency: z.string() }).nullable(),
});
/** A plan change target's facts. */
export type PlanTarget = z.infer<typeof PlanTarget>;

/** Every message of the kind. */
export const SubscriptionMessage = z.discriminatedUnion("type", [
  Create,
  outcomeMessage("activation_outcome"),
  outcomeMessage("compensation_outcome"),
  outcomeMessage("renewal_charged"),
  outcomeMessage("vas_charged"),
  outcomeMessage("refund_outcome"),
  outcomeMessage("line_freed"),
  UsageRated,
  RenewalDue,
  ReminderDue,
  UnlimitedExpired,
  PriceMigration,
  z.object({ type: z.literal("renew") }),
  z.object({
    type: z.literal("vas_purchase"),
    vasOfferingId: z.string(),
    /** The request's Idempotency-Key: the purchase's charge key, so a repeat is one charge. */
    requestKey: z.string().nullish(),
  }),
  z.object({
    type: z.literal("terminate"),
    reason: z.string(),
    releaseInventory: z.boolean(),
  }),
  z.object({
    type: z.literal("schedule_plan_change"),
    newOfferingId: z.string(),
    target: PlanTarget,
  }),
  z.object({ type: z.literal("cancel_plan_change") }),
]);

/** A message of the kind. */
export type SubscriptionMessage = z.infer<typeof SubscriptionMessage>;

/** The message of a given type. */
export type MessageOf<T extends SubscriptionMessage["type"]> = Extract<
  SubscriptionMessage,
  { type: T }
>;
