/**
 * Rating as a pure function of the tariff (docs/domain.md §6.4): map the event type to an
 * allowance type (roaming data to `data_roaming`), check the offering carries it in the
 * usage's unit, consume the quantity as is, charge 0 in the offering's currency.
 *
 * @module
 */
import {
  type RatableUsage,
  type Rating,
  RATING_REASONS,
  type Refused,
  type Tariff,
} from "./model.ts";

/** The allowance type each usage event type draws on at home. */
export const ALLOWANCE_OF_EVENT: Readonly<Record<string, string>> = {
  data: "data",
  voice: "voice",
  voice_minutes: "voice",
  sms: "sms",
};

/** The currency when the offering has no price row. */
export const DEFAULT_CURRENCY = "SGD";

const refuse = (reason: Refused["reason"], message: string): Refused => ({
  ok: false,
  reason,
  message,
});

/** Rates `usage` against `tariff`. */
export function rate(tariff: Tariff, usage: RatableUsage): Rating {
  const home = Object.hasOwn(ALLOWANCE_OF_EVENT, usage.eventType)
    ? ALLOWANCE_OF_EVENT[usage.eventType]
    : undefined;
  if (!home) {
    return refuse(
      RATING_REASONS.unmappedEventType,
      `event type ${usage.eventType} maps to no allowance`,
    );
  }
  // Roaming voice and SMS draw on the home allowances; only data has a roaming bucket.
  const allowanceType = usage.roamingIndicator && home === "data" ? "data_roaming" : home;
  const allowance = tariff.bundleAllowance.find((a) => a.allowanceType === allowanceType);
  if (!allowance) {
    return allowanceType === "data_roaming"
      ? refuse(RATING_REASONS.noRoamingAllowance, `${tariff.id} has no data_roaming allowance`)
      : refuse(RATING_REASONS.noAllowance, `${tariff.id} has no ${allowanceType} allowance`);
  }
  if (allowance.unit !== usage.unit) {
    return refuse(
      RATING_REASONS.unitMismatch,
      `${allowanceType} is counted in ${allowance.unit}, not ${usage.unit}`,
    );
  }
  return {
    ok: true,
    allowanceType,
    consumedQuantity: usage.quantity,
    unit: allowance.unit,
    chargeAmount: "0",
    currency: tariff.productOfferingPrice[0]?.price.taxIncludedAmount.unit ?? DEFAULT_CURRENCY,
  };
}
