/**
 * The events rating emits (docs/flows.md §5): `usage.rated` (consumed by the subscription service
 * on queue `subscription.usage.rated`) and rating's variant of `usage.rejected`.
 *
 * @module
 */
import type { DomainEvent } from "../../kernel/events.ts";
import type { UsageRecorded } from "../mediation/events.ts";
import type { Rated, Refused } from "./model.ts";

/** `usage.rated` for `usage`, as `rated`. */
export function usageRated(usage: UsageRecorded, rated: Rated): DomainEvent {
  return {
    type: "usage.rated",
    aggregateType: "usage",
    aggregateId: usage.usageEventId,
    payload: {
      usageEventId: usage.usageEventId,
      subscriptionId: usage.subscriptionId,
      allowanceType: rated.allowanceType,
      consumedQuantity: rated.consumedQuantity,
      unit: rated.unit,
      chargeAmount: rated.chargeAmount,
      currency: rated.currency,
      offeringId: usage.offeringId,
    },
  };
}

/** Rating's `usage.rejected` for `usage`, with the refusal's reason. */
export function usageRejectedByRating(usage: UsageRecorded, refused: Refused): DomainEvent {
  return {
    type: "usage.rejected",
    aggregateType: "usage",
    aggregateId: usage.usageEventId,
    payload: {
      usageEventId: usage.usageEventId,
      subscriptionId: usage.subscriptionId,
      msisdn: usage.msisdn,
      eventType: usage.eventType,
      reason: refused.reason,
      offeringId: usage.offeringId,
    },
  };
}
