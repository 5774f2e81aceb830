/**
 * Decomposition (docs/flows.md §1.3), in two turns of the service order actor:
 *
 * 1. `decompose` writes the service order (`acknowledged`), its item, the CFS from the
 *    catalog's service mapping and its RFS children (`designed`, RFS → `reserved`), and sends
 *    itself `start`. A `cancel` already waiting in the mailbox is handled before `start`, so
 *    an order cancelled before SOM got to it is never started.
 * 2. `start` reserves the line (number + profile, atomically, in the inventory), fills the
 *    CFS, moves it `reserved`, the service order `in_progress`, and emits one
 *    `provisioning.task.created` per task. An empty pool fails the service order (the
 *    commercial order fails with it) instead of retrying forever.
 *
 * @module
 */
import { PolicyViolation } from "../../kernel/errors.ts";
import { nextId } from "../../kernel/ids.ts";
import { log } from "../../kernel/log.ts";
import type { Turn } from "../runtime/types.ts";
import { serviceOrderEvent, taskCreatedEvent } from "./events.ts";
import type { ServiceOrderMessageOf } from "./messages.ts";
import { type CfsCharacteristics, TASK_TYPES, type TaskStatus } from "./model.ts";
import type { SomPorts } from "./ports.ts";
import { serviceOrderOf, servicesOfOrder } from "./queries.ts";
import {
  characteristicsOf,
  moveServiceOrder,
  moveServices,
  saveCharacteristics,
  split,
} from "./store.ts";

/** The actor kind name (also used for the self-sent `start`). */
export const SERVICE_ORDER_KIND = "service_order";

async function insertService(
  turn: Turn,
  serviceOrderId: string,
  spec: { specId: string; type: "CFS" | "RFS"; parentId: string | null },
  characteristics: Record<string, unknown> = {},
): Promise<string> {
  const id = await nextId(turn.sql, "SVC");
  await turn.sql`
    insert into service_inventory.service
      (id, service_order_id, spec_id, type, parent_service_id, state, characteristics)
    values (${id}, ${serviceOrderId}, ${spec.specId}, ${spec.type}, ${spec.parentId}, 'designed',
      ${JSON.stringify(characteristics)}::text::jsonb)`;
  await turn.sql`
    insert into service_inventory.service_state_history
      (service_id, from_state, to_state, changed_by, reason, event_time)
    values (${id}, null, 'designed', ${turn.caller.actor}, 'decomposed', ${turn.now()})`;
  return id;
}

/** Turn 1: the service order and its designed services; then `start`. */
export async function decompose(
  turn: Turn,
  m: ServiceOrderMessageOf<"decompose">,
  ports: Pick<SomPorts, "serviceMapping">,
): Promise<void> {
  const commercialOrderId = turn.key;
  const existing = await serviceOrderOf(turn.sql, commercialOrderId);
  if (existing) {
    log.info("som.decompose.skipped", { commercialOrderId, state: existing.state });
    return;
  }
  const mapping = await ports.serviceMapping(m.offeringId);
  const soId = await nextId(turn.sql, "SO");
  await turn.sql`
    insert into service_inventory.service_order (id, commercial_order_id)
    values (${soId}, ${commercialOrderId})`;
  const characteristics: CfsCharacteristics = {
    commercialOrderId,
    customerId: m.customerId,
    offeringId: m.offeringId,
    paymentMethodId: m.paymentMethodId ?? null,
    msisdnPreference: m.msisdnPreference ?? null,
    priceSnapshot: m.priceSnapshot ?? null,
  };
  const cfsId = await insertService(
    turn,
    soId,
    { specId: mapping.cfs, type: "CFS", parentId: null },
    characteristics as unknown as Record<string, unknown>,
  );
  for (const specId of mapping.rfs) {
    await insertService(turn, soId, { specId, type: "RFS", parentId: cfsId });
  }
  await turn.sql`
    insert into service_inventory.service_order_item
      (id, service_order_id, action, service_spec_id, target_service_id)
    values (${await nextId(turn.sql, "SOI")}, ${soId}, 'add', ${mapping.cfs}, ${cfsId})`;
  const { rfs } = split(await servicesOfOrder(turn.sql, soId));
  await moveServices(turn, rfs, "reserved", "decomposed");
  turn.tell(SERVICE_ORDER_KIND, commercialOrderId, { type: "start" });
}

/** Turn 2: reserve the line and hand the four tasks to provisioning. */
export async function start(turn: Turn, ports: Pick<SomPorts, "reserveLine" | "releaseLine">) {
  const so = await serviceOrderOf(turn.sql, turn.key);
  if (so?.state !== "acknowledged") return;
  const { cfs } = split(await servicesOfOrder(turn.sql, so.id));
  const c = characteristicsOf(cfs);
  let line;
  try {
    line = await ports.reserveLine(c.msisdnPreference, turn.key);
  } catch (e) {
    if (!(e instanceof PolicyViolation)) throw e;
    const reason = `line reservation failed: ${e.rule}`;
    await moveServices(turn, [cfs], "failed", reason);
    await moveServiceOrder(turn, so, "failed", reason);
    turn.emit(serviceOrderEvent("service_order.failed", so, { reason }));
    return;
  }
  try {
    const pendingTasks = Object.fromEntries(TASK_TYPES.map((t) => [t, "pending"])) as Record<
      string,
      TaskStatus
    >;
    const filled: CfsCharacteristics = { ...c, ...line, pendingTasks };
    await saveCharacteristics(turn, cfs, filled);
    await moveServices(turn, [cfs], "reserved", "line reserved");
    await moveServiceOrder(turn, so, "in_progress");
    turn.emit(serviceOrderEvent("service_order.in_progress", so));
    turn.emit(...TASK_TYPES.map((t) => taskCreatedEvent(so, cfs, filled, t)));
  } catch (e) {
    // The reservation committed in the inventory; this turn will not: give the line back.
    await ports.releaseLine(line);
    throw e;
  }
}
