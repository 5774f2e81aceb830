/**
 * The inventory write rules (docs/domain.md §4.1, msisdn.* and esim.*): each function checks one
 * rule family and throws a {@link PolicyViolation} with the exact rule code and context.
 *
 * @module
 */
import { PolicyViolation } from "../../kernel/errors.ts";
import { ESIM_TRANSITIONS, type EsimTrigger } from "./esim_lifecycle.ts";
import type { EsimRow, EsimState, MsisdnRow } from "./rows.ts";

/** Range sizes `add-range` accepts: `<prefix><i:04d>` leaves room for 10000 numbers. */
export const RANGE_PREFIX_LENGTH = { min: 4, max: 7 } as const;
/** The largest `add-range` count. */
export const RANGE_MAX_COUNT = 10_000;

/** `msisdn.reserve.status_must_be_available`: only an available number can be reserved. */
export function assertReservable(row: MsisdnRow): void {
  if (row.status === "available") return;
  throw new PolicyViolation(
    "msisdn.reserve.status_must_be_available",
    `MSISDN ${row.msisdn} is ${row.status}, not available`,
    { msisdn: row.msisdn },
  );
}

/** `msisdn.reserve.no_available`: the pool had nothing to hand out. */
export function requirePickedMsisdn(
  row: MsisdnRow | undefined,
  preference: string | null,
): MsisdnRow {
  if (row) return row;
  throw new PolicyViolation("msisdn.reserve.no_available", "no MSISDN is available", {
    preference,
  });
}

/**
 * `msisdn.assign.must_be_reserved`: a number is assigned from `reserved`, or re-assigned to
 * the subscription that already holds it; never taken from another subscription.
 */
export function assertAssignable(row: MsisdnRow, subscriptionId: string | null): void {
  const holder = row.assigned_to_subscription_id;
  const sameHolder = subscriptionId === null || holder === null || holder === subscriptionId;
  if (row.status === "reserved" || (row.status === "assigned" && sameHolder)) return;
  throw new PolicyViolation(
    "msisdn.assign.must_be_reserved",
    row.status === "assigned"
      ? `MSISDN ${row.msisdn} is assigned to ${holder}`
      : `MSISDN ${row.msisdn} is ${row.status}, not reserved`,
    { msisdn: row.msisdn, status: row.status, assigned_to_subscription_id: holder },
  );
}

/**
 * `msisdn.release.terminal_status` (a ported-out number is gone for good) and
 * `msisdn.release.only_if_reserved_or_assigned`.
 */
export function assertReleasable(row: MsisdnRow): void {
  const context = { msisdn: row.msisdn, status: row.status };
  if (row.status === "ported_out") {
    throw new PolicyViolation(
      "msisdn.release.terminal_status",
      `MSISDN ${row.msisdn} was ported out and is never reissued`,
      context,
    );
  }
  if (row.status === "reserved" || row.status === "assigned") return;
  throw new PolicyViolation(
    "msisdn.release.only_if_reserved_or_assigned",
    `MSISDN ${row.msisdn} is ${row.status}; only reserved or assigned numbers are released`,
    context,
  );
}

/** `msisdn.add_range.sane_prefix`: digits only, 4–7 of them, and 1–10000 numbers. */
export function assertSaneRange(prefix: string, count: number): void {
  const rule = "msisdn.add_range.sane_prefix";
  if (!/^[0-9]+$/.test(prefix)) {
    throw new PolicyViolation(rule, `prefix ${prefix} is not all digits`, { prefix });
  }
  const { min, max } = RANGE_PREFIX_LENGTH;
  if (prefix.length < min || prefix.length > max) {
    throw new PolicyViolation(rule, `prefix must have ${min}–${max} digits`, {
      prefix,
      length: prefix.length,
    });
  }
  if (count < 1 || count > RANGE_MAX_COUNT) {
    throw new PolicyViolation(rule, `count must be 1–${RANGE_MAX_COUNT}`, { count });
  }
}

/** `esim.reserve.status_must_be_available`: no profile was left to reserve. */
export function requirePickedEsim(row: EsimRow | undefined): EsimRow {
  if (row) return row;
  throw new PolicyViolation(
    "esim.reserve.status_must_be_available",
    "no eSIM profile is available",
    {},
  );
}

/**
 * The rules of linking `msisdn` to profile `esim`: the profile is `reserved`
 * (`esim.assign_msisdn.esim_must_be_reserved`), the number exists
 * (`esim.assign_msisdn.msisdn_not_found`) and is `reserved`
 * (`esim.assign_msisdn.msisdn_must_be_reserved`), and no other live profile holds it
 * (`esim.assign_msisdn.msisdn_in_use`, beyond docs/domain.md: one number, one profile).
 */
export function assertLinkable(
  esim: EsimRow,
  msisdn: string,
  number: MsisdnRow | undefined,
  otherHolder: string | undefined,
): void {
  if (esim.profile_state !== "reserved") {
    throw new PolicyViolation(
      "esim.assign_msisdn.esim_must_be_reserved",
      `eSIM ${esim.iccid} is ${esim.profile_state}, not reserved`,
      { iccid: esim.iccid, state: esim.profile_state },
    );
  }
  if (!number) {
    throw new PolicyViolation(
      "esim.assign_msisdn.msisdn_not_found",
      `MSISDN ${msisdn} not found`,
      { msisdn },
    );
  }
  if (number.status !== "reserved") {
    throw new PolicyViolation(
      "esim.assign_msisdn.msisdn_must_be_reserved",
      `MSISDN ${msisdn} is ${number.status}, not reserved`,
      { msisdn, status: number.status },
    );
  }
  if (otherHolder !== undefined) {
    throw new PolicyViolation(
      "esim.assign_msisdn.msisdn_in_use",
      `MSISDN ${msisdn} is already linked to eSIM ${otherHolder}`,
      { msisdn, iccid: otherHolder },
    );
  }
}

/** `esim.transition.invalid`: `trigger` does not leave the profile's state; else the new state. */
export function assertEsimTransition(esim: EsimRow, trigger: EsimTrigger): EsimState {
  const { from, to } = ESIM_TRANSITIONS[trigger];
  if ((from as readonly EsimState[]).includes(esim.profile_state)) return to;
  throw new PolicyViolation(
    "esim.transition.invalid",
    `eSIM ${esim.iccid} cannot ${trigger} from ${esim.profile_state}`,
    { iccid: esim.iccid, state: esim.profile_state, trigger },
  );
}

/**
 * `esim.transition.invalid` when binding: the profile ends activated, linked to `msisdn`, for
 * `subscriptionId`; a profile of another line (or one past activation) is never taken.
 */
export function assertBoundTo(esim: EsimRow, msisdn: string, subscriptionId: string): void {
  const bound = esim.profile_state === "activated" && esim.assigned_msisdn === msisdn &&
    esim.assigned_to_subscription_id === subscriptionId;
  if (bound) return;
  throw new PolicyViolation(
    "esim.transition.invalid",
    `eSIM ${esim.iccid} is ${esim.profile_state} for another line`,
    {
      iccid: esim.iccid,
      state: esim.profile_state,
      trigger: "activate",
      assigned_msisdn: esim.assigned_msisdn,
      assigned_to_subscription_id: esim.assigned_to_subscription_id,
    },
  );
}
