/**
 * The commercial order failed after SOM completed (`order.failed`, a declined activation
 * most often): the services SOM activated serve no line, so they are terminated. COM has
 * already put the number and the profile back in the pool. A failure that came from SOM
 * itself finds its service order failed already and changes nothing.
 *
 * @module
 */
import type { Turn } from "../runtime/types.ts";
import type { ServiceOrderMessageOf } from "./messages.ts";
import { serviceOrderOf, servicesOfOrder } from "./queries.ts";
import { moveServices } from "./store.ts";

/** Terminates the activated services of a completed service order whose order failed. */
export async function orderFailed(
  turn: Turn,
  m: ServiceOrderMessageOf<"order_failed">,
): Promise<void> {
  const so = await serviceOrderOf(turn.sql, turn.key);
  if (so?.state !== "completed") return;
  const live = (await servicesOfOrder(turn.sql, so.id)).filter((s) => s.state !== "terminated");
  await moveServices(turn, live, "terminated", `commercial order failed: ${m.reason ?? "unknown"}`);
}
