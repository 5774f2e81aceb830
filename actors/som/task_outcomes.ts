/**
 * Provisioning results on the service order (docs/flows.md §1.5): the CFS task book is updated in
 * the actor's turn, so concurrent results can never lose one another. All four completed ⇒
 * services activated, service order completed; a permanent failure ⇒ CFS failed, line
 * released, service order failed; stuck ⇒ only noted (an operator resolves it).
 *
 * @module
 */
import { startNow } from "../../kernel/db/types.ts";
import { log } from "../../kernel/log.ts";
import type { Turn } from "../runtime/types.ts";
import { completedEvent, serviceOrderEvent } from "./events.ts";
import type { ServiceOrderMessageOf } from "./messages.ts";
import type { ServiceOrderRow, ServiceRow, TaskStatus } from "./model.ts";
import { releaseLine } from "./decompose.ts";
import { serviceOrderWithServices } from "./queries.ts";
import { characteristicsOf, moveServiceOrder, moveServices, split } from "./store.ts";

interface Running {
  so: ServiceOrderRow;
  cfs: ServiceRow;
  rfs: ServiceRow[];
}

/** The running service order the task belongs to, with its task marked; else undefined. */
async function mark(
  turn: Turn,
  taskType: string,
  status: TaskStatus,
): Promise<Running | undefined> {
  // One round trip: the task's status goes into the CFS — only while the service order is in
  // progress and expects that task — and the service order is read back with its services.
  const [, { so, services }] = await Promise.all([
    startNow(turn.sql`
      update service_inventory.service s
      set characteristics = jsonb_set(s.characteristics, array['pendingTasks', ${taskType}],
          to_jsonb(${status}::text)),
        updated_at = now()
      from service_inventory.service_order o
      where o.commercial_order_id = ${turn.key} and o.state = 'in_progress'
        and s.service_order_id = o.id and s.type = 'CFS'
        and s.characteristics -> 'pendingTasks' ? ${taskType}`),
    serviceOrderWithServices(turn.sql, turn.key),
  ]);
  const running = so?.state === "in_progress" && services.length > 0;
  const { cfs, rfs } = running ? split(services) : { cfs: undefined, rfs: [] };
  const c = cfs && characteristicsOf(cfs);
  if (!so || !cfs || !c?.pendingTasks || !(taskType in c.pendingTasks)) {
    log.info("som.task_outcome.ignored", { commercialOrderId: turn.key, taskType, status });
    return undefined;
  }
  return { so, cfs, rfs };
}

export async function taskCompleted(turn: Turn, m: ServiceOrderMessageOf<"task_completed">) {
  const run = await mark(turn, m.taskType, "completed");
  if (!run) return;
  const c = characteristicsOf(run.cfs);
  if (!Object.values(c.pendingTasks ?? {}).every((s) => s === "completed")) return;
  await Promise.all([
    moveServices(turn, [run.cfs, ...run.rfs], "activated", "provisioning completed"),
    moveServiceOrder(turn, run.so, "completed"),
  ]);
  turn.emit(completedEvent(run.so, run.cfs, c));
}

/** A task failed permanently: the service order fails and the line goes back. */
export async function taskFailed(
  turn: Turn,
  m: ServiceOrderMessageOf<"task_failed">,
) {
  if (m.permanent === false) return;
  const run = await mark(turn, m.taskType, "failed");
  if (!run) return;
  const c = characteristicsOf(run.cfs);
  const reason = `provisioning task ${m.taskType} failed permanently`;
  await moveServices(turn, [run.cfs], "failed", reason);
  await moveServiceOrder(turn, run.so, "failed", reason);
  if (c.msisdn && c.iccid) await releaseLine(turn, { msisdn: c.msisdn, iccid: c.iccid });
  turn.emit(serviceOrderEvent("service_order.failed", run.so, { reason }));
}

/** A task is stuck: noted; the order waits for an operator. */
export async function taskStuck(turn: Turn, m: ServiceOrderMessageOf<"task_stuck">) {
  await mark(turn, m.taskType, "stuck");
}
