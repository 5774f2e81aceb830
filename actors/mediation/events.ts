/**
 * The events mediation emits (docs/flows.md §5): `usage.recorded` (consumed by rating on queue
 * `rating.usage.recorded`; its payload schema is the contract the consumer parses) and the
 * mediation variant of `usage.rejected`.
 *
 * @module
 */
import { z } from "zod";
import type { DomainEvent } from "../../kernel/events.ts";
import type { Line, UsageInput } from "./model.ts";

/** The payload of `usage.recorded` (docs/flows.md §5.1). */
export const UsageRecorded = z.object({
  usageEventId: z.string().min(1),
  subscriptionId: z.string().min(1),
  msisdn: z.string(),
  eventType: z.string(),
  eventTime: z.string(),
  quantity: z.number().int(),
  unit: z.string(),
  source: z.string().nullable(),
  rawCdrRef: z.string().nullable(),
  roamingIndicator: z.boolean(),
  offeringId: z.string().min(1),
});

/** A `usage.recorded` payload. */
export type UsageRecorded = z.infer<typeof UsageRecorded>;

/** `usage.recorded` for the accepted event `usageEventId` of `line`. */
export function usageRecorded(usageEventId: string, usage: UsageInput, line: Line): DomainEvent {
  const payload: UsageRecorded = {
    usageEventId,
    subscriptionId: line.id,
    msisdn: usage.msisdn,
    eventType: usage.eventType,
    eventTime: usage.eventTime.toISOString(),
    quantity: usage.quantity,
    unit: usage.unit,
    source: usage.source,
    rawCdrRef: usage.rawCdrRef,
    roamingIndicator: usage.roamingIndicator,
    offeringId: line.offeringId,
  };
  return { type: "usage.recorded", aggregateType: "usage", aggregateId: usageEventId, payload };
}

/**
 * Mediation's `usage.rejected` (docs/flows.md §5.2): `reason` is the broken rule; the aggregate is
 * the subscription when one was found, else the MSISDN.
 */
export function usageRejected(
  usage: UsageInput,
  line: Line | null,
  reason: string,
  rejectedAt: Date,
): DomainEvent {
  return {
    type: "usage.rejected",
    aggregateType: "usage",
    aggregateId: line?.id ?? usage.msisdn,
    payload: {
      msisdn: usage.msisdn,
      subscriptionId: line?.id ?? null,
      state: line?.state ?? null,
      eventType: usage.eventType,
      eventTime: usage.eventTime.toISOString(),
      quantity: usage.quantity,
      unit: usage.unit,
      source: usage.source,
      rawCdrRef: usage.rawCdrRef,
      reason,
      rejectedAt: rejectedAt.toISOString(),
    },
  };
}
