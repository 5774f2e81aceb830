/**
 * Cancelling before SOM starts. COM's cancel first asks the service order actor to `stop`:
 * in that actor's turn — serialized with decomposition and start — a service order not yet
 * started is cancelled (or, when none exists yet, a tombstone makes a later decomposition
 * skip), and a started one is reported, so COM refuses the cancel. Then `order.cancelled`
 * arrives and finds nothing left to do; it still undoes a started order for the events of an
 * earlier version.
 *
 * @module
 */
import { nextId } from "../../kernel/ids.ts";
import type { Turn } from "../runtime/types.ts";
import { serviceOrderEvent } from "./events.ts";
import type { ServiceOrderMessageOf } from "./messages.ts";
import type { ServiceOrderRow } from "./model.ts";
import { releaseLine } from "./decompose.ts";
import { serviceOrderOf, servicesOfOrder } from "./queries.ts";
import { characteristicsOf, moveServiceOrder, moveServices, split } from "./store.ts";

const REASON = "commercial order cancelled";

/** What `stop` answers: whether SOM stopped before starting, and its service orders. */
export interface StopReply {
  stopped: boolean;
  serviceOrders: { id: string; state: string }[];
}

/** `stop`: cancels a service order that has not started (a tombstone when none exists). */
export async function stopBeforeStart(turn: Turn): Promise<StopReply> {
  const so = await serviceOrderOf(turn.sql, turn.key) ?? await tombstone(turn);
  if (so.state === "acknowledged") {
    await cancelAcknowledged(turn, so);
    return { stopped: true, serviceOrders: [{ id: so.id, state: "cancelled" }] };
  }
  return { stopped: so.state === "cancelled", serviceOrders: [{ id: so.id, state: so.state }] };
}

async function cancelAcknowledged(turn: Turn, so: ServiceOrderRow): Promise<void> {
  await moveServices(turn, await servicesOfOrder(turn.sql, so.id), "failed", REASON);
  await moveServiceOrder(turn, so, "cancelled", REASON);
  turn.emit(serviceOrderEvent("service_order.cancelled", so, { reason: REASON }));
}

/** Cancels, or undoes, the service order of a cancelled commercial order. */
export async function cancelServiceOrder(
  turn: Turn,
  m: ServiceOrderMessageOf<"cancel">,
): Promise<void> {
  // An order cancelled before it was submitted never reached SOM.
  if (m.fromState !== "in_progress") return;
  const so = await serviceOrderOf(turn.sql, turn.key);
  if (!so) return void await tombstone(turn);
  if (so.state === "failed" || so.state === "cancelled") return;
  if (so.state === "acknowledged") return await cancelAcknowledged(turn, so);
  const { cfs, rfs } = split(await servicesOfOrder(turn.sql, so.id));
  const c = characteristicsOf(cfs);
  if (c.msisdn && c.iccid) await releaseLine(turn, { msisdn: c.msisdn, iccid: c.iccid });
  if (so.state === "in_progress") {
    await moveServices(turn, [cfs, ...rfs].filter((s) => s.state !== "failed"), "failed", REASON);
    await moveServiceOrder(turn, so, "failed", REASON);
    turn.emit(serviceOrderEvent("service_order.failed", so, { reason: REASON }));
  } else {
    await moveServices(turn, [cfs, ...rfs], "terminated", REASON);
  }
}

/** A cancel ahead of `order.in_progress`: a cancelled service order, so decompose skips. */
async function tombstone(turn: Turn): Promise<ServiceOrderRow> {
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
  return so;
}
