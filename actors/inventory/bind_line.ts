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
import { lockEsim, updateEsim } from "./esim_store.ts";
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
    // The number before the profile: the order releaseMsisdn locks them in.
    let number = await lockMsisdn(tx, msisdn, at);
    let esim = await lockEsim(tx, iccid);
    if (esim.profile_state === "reserved" && esim.assigned_msisdn === null) {
      esim = await linkMsisdn(tx, esim, msisdn, at);
    }
    assertAssignable(number, subscriptionId);
    if (number.status !== "assigned" || number.assigned_to_subscription_id !== subscriptionId) {
      number = await updateMsisdn(tx, msisdn, at, {
        status: "assigned",
        assigned_to_subscription_id: subscriptionId,
      });
    }
    const ours = esim.assigned_msisdn === msisdn;
    if (ours && esim.profile_state === "reserved") {
      esim = await updateEsim(tx, iccid, at, {
        profile_state: assertEsimTransition(esim, "download"),
        downloaded_at: at,
      });
    }
    if (ours && esim.profile_state === "downloaded") {
      esim = await updateEsim(tx, iccid, at, {
        profile_state: assertEsimTransition(esim, "activate"),
        activated_at: at,
        assigned_to_subscription_id: subscriptionId,
      });
    }
    assertBoundTo(esim, msisdn, subscriptionId);
    return { number, esim };
  });
}
