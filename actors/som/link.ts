/**
 * `order.completed` links the order's services to the subscription they now serve, so the
 * service inventory can be read by subscription (TMF638 `?subscriptionId=`).
 *
 * @module
 */
import type { Turn } from "../runtime/types.ts";
import type { ServiceOrderMessageOf } from "./messages.ts";
import { serviceOrderOf } from "./queries.ts";

/** `order.completed`: the services now serve that subscription. */
export async function linkSubscription(
  turn: Turn,
  m: ServiceOrderMessageOf<"link_subscription">,
): Promise<void> {
  const so = await serviceOrderOf(turn.sql, turn.key);
  if (!so) return;
  await turn.sql`
    update service_inventory.service set subscription_id = ${m.subscriptionId}, updated_at = now()
    where service_order_id = ${so.id}`;
}
