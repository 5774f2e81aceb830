/**
 * Termination (docs/flows.md §4, 00): from active or blocked; the MSISDN goes to its 90-day
 * quarantine (unless kept, as on port-out) and the eSIM is recycled.
 *
 * @module
 */
import { PolicyViolation } from "../../kernel/errors.ts";
import { type Ctx, requireSubscription } from "./context.ts";
import { canFire, emitSubscriptionEvent, fire } from "./machine.ts";
import type { MessageOf } from "./messages.ts";
import { freeLine } from "./upstream.ts";

/** Terminates the actor's subscription. */
export async function terminate({ turn, up }: Ctx, m: MessageOf<"terminate">): Promise<void> {
  const sub = await requireSubscription(turn);
  if (!canFire(sub.state, "terminate")) {
    throw new PolicyViolation(
      "subscription.terminate.invalid_state",
      `a ${sub.state} subscription cannot be terminated`,
      { state: sub.state },
    );
  }
  const now = turn.now();
  await fire(turn, sub, "terminate", m.reason);
  await turn.sql`
    update subscription.subscription set terminated_at = ${now}, unlimited_data_until = null
    where id = ${sub.id}`;
  await freeLine(up, { msisdn: sub.msisdn, iccid: sub.iccid, releaseMsisdn: m.releaseInventory });
  emitSubscriptionEvent(turn, "subscription.terminated", {
    subscriptionId: sub.id,
    customerId: sub.customer_id,
    msisdn: sub.msisdn,
    iccid: sub.iccid,
    terminatedAt: now.toISOString(),
    reason: m.reason,
  });
}
