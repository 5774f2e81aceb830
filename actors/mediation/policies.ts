/**
 * Mediation's write policies (docs/domain.md §4.5), in the order they run. Nothing is persisted when
 * one fails; the existence and active failures are additionally recorded as `usage.rejected`
 * by the caller ({@link RECORDED_RULES}).
 *
 * @module
 */
import { PolicyViolation } from "../../kernel/errors.ts";
import { EVENT_TYPES, type Line, type UsageInput } from "./model.ts";

/** `usage.record.subscription_must_exist`. */
export const SUBSCRIPTION_MUST_EXIST = "usage.record.subscription_must_exist";
/** `usage.record.subscription_must_be_active` (block-at-edge). */
export const SUBSCRIPTION_MUST_BE_ACTIVE = "usage.record.subscription_must_be_active";

/** The rules whose failure also emits `usage.rejected` (reason = the rule). */
export const RECORDED_RULES: ReadonlySet<string> = new Set([
  SUBSCRIPTION_MUST_EXIST,
  SUBSCRIPTION_MUST_BE_ACTIVE,
]);

/** The rules on the record alone: positive quantity, then a known event type. */
export function checkRecord(usage: UsageInput): void {
  if (!(usage.quantity > 0)) {
    throw new PolicyViolation(
      "usage.record.positive_quantity",
      "Usage quantity must be greater than zero",
      { quantity: usage.quantity },
    );
  }
  if (!(EVENT_TYPES as readonly string[]).includes(usage.eventType)) {
    throw new PolicyViolation(
      "usage.record.valid_event_type",
      `Unknown usage event type ${usage.eventType}`,
      { event_type: usage.eventType, valid_types: [...EVENT_TYPES] },
    );
  }
}

/**
 * The rules on the subscription found for the MSISDN: it exists, it owns that MSISDN, and it
 * is `active` (a blocked or pending line takes no usage).
 */
export function checkLine(usage: UsageInput, line: Line | null): asserts line is Line {
  if (!line) {
    throw new PolicyViolation(
      SUBSCRIPTION_MUST_EXIST,
      `No subscription for MSISDN ${usage.msisdn}`,
      { msisdn: usage.msisdn },
    );
  }
  if (line.msisdn !== undefined && line.msisdn !== usage.msisdn) {
    throw new PolicyViolation(
      "usage.record.msisdn_belongs_to_subscription",
      `MSISDN ${usage.msisdn} does not belong to subscription ${line.id}`,
      { request_msisdn: usage.msisdn, subscription_msisdn: line.msisdn, subscription_id: line.id },
    );
  }
  if (line.state !== "active") {
    throw new PolicyViolation(
      SUBSCRIPTION_MUST_BE_ACTIVE,
      `Subscription ${line.id} is ${line.state}, not active`,
      { subscription_id: line.id, state: line.state },
    );
  }
}
