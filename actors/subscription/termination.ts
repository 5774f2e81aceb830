/**
 * Termination (docs/flows.md §4, 00): from active or blocked; the MSISDN goes to its 90-day
 * quarantine (unless kept, as on port-out) and the eSIM is recycled.
 *
 * @module
 */
import { type Ctx, requireSubscription } from "./context.ts";
import { emitSubscriptionEvent, fire } from "./machine.ts";
import type { MessageOf } from "./messages.ts";
import { assertTerminable } from "./policies.ts";

/** Terminates the actor's subscription. */
export async function terminate({ turn, ports }: Ctx, m: MessageOf<"terminate">): Promise<void> {
  const sub = await requireSubscription(turn);
  assertTerminable(sub);
  const now = turn.now();
  await fire(turn, sub, "terminate", m.reason);
  // A terminated line has no period left to renew or remind about.
  await turn.cancelTimers("renewal_due", "reminder_due");
  await turn.sql`
    update subscription.subscription set terminated_at = ${now}, unlimited_data_until = null
    where id = ${sub.id}`;
  await ports.freeLine({
    msisdn: sub.msisdn,
    iccid: sub.iccid,
    releaseMsisdn: m.releaseInventory,
  });
  emitSubscriptionEvent(turn, "subscription.terminated", {
    subscriptionId: sub.id,
    customerId: sub.customer_id,
    msisdn: sub.msisdn,
    iccid: sub.iccid,
    terminatedAt: now.toISOString(),
    reason: m.reason,
  });
}
