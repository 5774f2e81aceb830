/**
 * Binding a reserved line to its subscription in one transaction: the number assigned, the
 * profile linked to it and driven reserved → downloaded → activated for the subscription.
 * Steps already done are skipped, so a retried binding answers the same line; a line held
 * by another subscription is refused and nothing changes.
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import type { Pool } from "../../kernel/db/types.ts";
import { linkMsisdn } from "./esim.ts";
import { type EsimChange, lockEsim, updateEsim } from "./esim_store.ts";
import { lockMsisdn, updateMsisdn } from "./msisdn_store.ts";
import { assertAssignable, assertBoundTo, assertEsimTransition } from "./policies.ts";
import type { EsimRow, MsisdnRow } from "./rows.ts";

/** What to bind: the reserved number and profile, and the subscription they serve. */
export interface LineBinding {
  msisdn: string;
  iccid: string;
  subscriptionId: string;
}

/** A bound line: the number and the profile as they are now. */
export interface BoundLine {
  number: MsisdnRow;
  esim: EsimRow;
}

/**
 * Binds the line (`msisdn.assign.must_be_reserved`, `esim.assign_msisdn.*`,
 * `esim.transition.invalid`; 404 for an unknown number or profile).
 */
export async function bindLine(
  sql: Pool,
  { msisdn, iccid, subscriptionId }: LineBinding,
): Promise<BoundLine> {
  return await sql.begin(async (tx) => {
    const at = clock.now();
    // Both locks in one round trip, the number before the profile (the order releaseMsisdn
    // locks them in): statements sent together run one after another, in the order sent.
    let [number, esim] = await Promise.all([lockMsisdn(tx, msisdn, at), lockEsim(tx, iccid)]);
    if (esim.profile_state === "reserved" && esim.assigned_msisdn === null) {
      esim = await linkMsisdn(tx, esim, msisdn, at);
    }
    assertAssignable(number, subscriptionId);
    const numberDone = number.status === "assigned" &&
      number.assigned_to_subscription_id === subscriptionId;
    // The profile's remaining steps follow from its locked row, each checked here; they are
    // written as one update, together with the number's, in one round trip.
    const change = esim.assigned_msisdn === msisdn ? profileSteps(esim, at, subscriptionId) : {};
    [number, esim] = await Promise.all([
      numberDone ? number : updateMsisdn(tx, msisdn, at, {
        status: "assigned",
        assigned_to_subscription_id: subscriptionId,
      }),
      Object.keys(change).length ? updateEsim(tx, iccid, at, change) : esim,
    ]);
    assertBoundTo(esim, msisdn, subscriptionId);
    return { number, esim };
  });
}

/**
 * What takes a profile of our line to activated for `subscriptionId`: reserved → downloaded
 * → activated, only the steps still ahead of it, each checked against the machine.
 */
function profileSteps(esim: EsimRow, at: Date, subscriptionId: string): Partial<EsimChange> {
  let change: Partial<EsimChange> = {};
  let state = esim;
  if (state.profile_state === "reserved") {
    change = { profile_state: assertEsimTransition(state, "download"), downloaded_at: at };
    state = { ...state, profile_state: change.profile_state! };
  }
  if (state.profile_state === "downloaded") {
    change = {
      ...change,
      profile_state: assertEsimTransition(state, "activate"),
      activated_at: at,
      assigned_to_subscription_id: subscriptionId,
    };
  }
  return change;
}
