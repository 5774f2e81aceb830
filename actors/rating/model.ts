/**
 * Rating's vocabulary (docs/domain.md §6.4): the tariff it rates against (the catalog offering's
 * prices and bundle allowances, by their TMF620 names), what it rates, and the outcomes.
 *
 * @module
 */

/** The catalog offering a usage event is rated against (a subset of TMF620 ProductOffering). */
export interface Tariff {
  id: string;
  productOfferingPrice: ReadonlyArray<{ price: { taxIncludedAmount: { unit: string } } }>;
  bundleAllowance: ReadonlyArray<{ allowanceType: string; quantity: number; unit: string }>;
}

/** The part of a usage event rating looks at. */
export interface RatableUsage {
  eventType: string;
  quantity: number;
  unit: string;
  roamingIndicator: boolean;
}

/** A rated usage event: what to decrement from which allowance, at no charge. */
export interface Rated {
  ok: true;
  allowanceType: string;
  consumedQuantity: number;
  unit: string;
  /** Always "0": bundled prepaid, usage only consumes allowances. */
  chargeAmount: "0";
  currency: string;
}

/** Why rating refused a usage event (the `reason` of rating's `usage.rejected`). */
export const RATING_REASONS = {
  /** The event type maps to no allowance type. */
  unmappedEventType: "rating.unmapped_event_type",
  /** The offering carries no allowance of the mapped type. */
  noAllowance: "rating.no_allowance",
  /** The usage unit is not the allowance's unit. */
  unitMismatch: "rating.unit_mismatch",
  /** Roaming data on an offering without a `data_roaming` allowance (docs/domain.md §6.4). */
  noRoamingAllowance: "rating.no_roaming_allowance",
  /** The catalog does not know the offering. */
  unknownOffering: "rating.unknown_offering",
} as const;

/** A rating refusal reason. */
export type RatingReason = (typeof RATING_REASONS)[keyof typeof RATING_REASONS];

/** A refused usage event. */
export interface Refused {
  ok: false;
  reason: RatingReason;
  message: string;
}

/** The outcome of rating one usage event. */
export type Rating = Rated | Refused;
