/**
 * Mediation's vocabulary (docs/domain.md §1, 02 §2): usage event types and units, a usage record as
 * it arrives and as it is stored, and the subscription lookup it needs from the subscription
 * service.
 *
 * @module
 */

/** The usage event types mediation accepts (`usage.record.valid_event_type`). */
export const EVENT_TYPES = ["data", "voice", "voice_minutes", "sms"] as const;

/** A usage event type. */
export type EventType = (typeof EVENT_TYPES)[number];

/** The units a usage quantity is counted in. */
export const USAGE_UNITS = ["mb", "minutes", "count"] as const;

/** A usage unit. */
export type UsageUnit = (typeof USAGE_UNITS)[number];

/** A usage record as a network element or simulator sends it (already schema-valid). */
export interface UsageInput {
  msisdn: string;
  /** Checked by policy, not by schema: an unknown type is a business rejection. */
  eventType: string;
  eventTime: Date;
  /** Checked by policy, not by schema: a non-positive quantity is a business rejection. */
  quantity: number;
  unit: UsageUnit;
  source: string | null;
  rawCdrRef: string | null;
  roamingIndicator: boolean;
}

/** `mediation.usage_event` as Postgres returns it. */
export interface UsageRow {
  id: string;
  msisdn: string;
  subscription_id: string | null;
  event_type: EventType;
  event_time: Date;
  /** bigint: postgres.js returns it as a string. */
  quantity: string;
  unit: UsageUnit;
  source: string | null;
  raw_cdr_ref: string | null;
  processed: boolean;
  processing_error: string | null;
  roaming_indicator: boolean;
}

/** The subscription an MSISDN belongs to, as the subscription service answers. */
export interface Line {
  id: string;
  state: string;
  offeringId: string;
  customerId: string;
  /** The subscription's own MSISDN, when the lookup reports it. */
  msisdn?: string;
}

/** The live subscription of an MSISDN, or null when there is none. */
export type SubscriptionByMsisdn = (msisdn: string) => Promise<Line | null>;
