/**
 * The commercial order was cancelled (`order.cancelled`): stop decomposing and give back
 * whatever was reserved. COM allows the cancel only while the service order is still
 * `acknowledged`; the later states are handled because the cancel may race SOM's start.
 *
 * @module
 */
import { nextId } from "../../kernel/ids.ts";
import type { Turn } from "../runtime/types.ts";
import { serviceOrderEvent } from "./events.ts";
import type { ServiceOrderMessageOf } from "./messages.ts";
import type { ServiceOrderRow } from "./model.ts";
import type { SomPorts } from "./ports.ts";
import { serviceOrderOf, servicesOfOrder } from "./queries.ts";
import { characteristicsOf, moveServiceOrder, moveServices, split } from "./store.ts";

const REASON = "commercial order cancelled";

/** Cancels, or undoes, the service order of a cancelled commercial order. */
export async function cancelServiceOrder(
  turn: Turn,
  m: ServiceOrderMessageOf<"cancel">,
  ports: Pick<SomPorts, "releaseLine">,
): Promise<void> {
  // An order cancelled before it was submitted never reached SOM.
  if (m.fromState !== "in_progress") return;
  const so = await serviceOrderOf(turn.sql, turn.key);
  if (!so) return await tombstone(turn);
  if (so.state === "failed" || so.state === "cancelled") return;
  const services = await servicesOfOrder(turn.sql, so.id);
  const { cfs, rfs } = split(services);
  if (so.state === "acknowledged") {
    await moveServices(turn, services, "failed", REASON);
    await moveServiceOrder(turn, so, "cancelled", REASON);
    turn.emit(serviceOrderEvent("service_order.cancelled", so, { reason: REASON }));
    return;
  }
  const c = characteristicsOf(cfs);
  if (c.msisdn && c.iccid) await ports.releaseLine({ msisdn: c.msisdn, iccid: c.iccid });
  if (so.state === "in_progress") {
    await moveServices(turn, [cfs, ...rfs].filter((s) => s.state !== "failed"), "failed", REASON);
    await moveServiceOrder(turn, so, "failed", REASON);
    turn.emit(serviceOrderEvent("service_order.failed", so, { reason: REASON }));
  } else {
    await moveServices(turn, [cfs, ...rfs], "terminated", REASON);
  }
}

/** A cancel that overtook `order.in_progress` (broker redelivery): a later decompose skips. */
async function tombstone(turn: Turn): Promise<void> {
  const so: ServiceOrderRow = {
    id: await nextId(turn.sql, "SO"),
    commercial_order_id: turn.key,
    state: "cancelled",
    started_at: null,
    completed_at: turn.now(),
    state_reason: REASON,
  };
  await turn.sql`
    insert into service_inventory.service_order
      (id, commercial_order_id, state, completed_at, state_reason)
    values (${so.id}, ${so.commercial_order_id}, 'cancelled', ${so.completed_at}, ${REASON})`;
  turn.emit(serviceOrderEvent("service_order.cancelled", so, { reason: REASON }));
}
