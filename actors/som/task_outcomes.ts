/**
 * Provisioning results on the service order (docs/flows.md §1.5): the CFS task book is updated in
 * the actor's turn, so concurrent results can never lose one another. All four completed ⇒
 * services activated, service order completed; a permanent failure ⇒ CFS failed, line
 * released, service order failed; stuck ⇒ only noted (an operator resolves it).
 *
 * @module
 */
import { log } from "../../kernel/log.ts";
import type { Turn } from "../runtime/types.ts";
import { completedEvent, serviceOrderEvent } from "./events.ts";
import type { ServiceOrderMessageOf } from "./messages.ts";
import type { ServiceOrderRow, ServiceRow, TaskStatus } from "./model.ts";
import type { SomPorts } from "./ports.ts";
import { serviceOrderWithServices } from "./queries.ts";
import {
  characteristicsOf,
  moveServiceOrder,
  moveServices,
  saveCharacteristics,
  split,
} from "./store.ts";

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
  const { so, services } = await serviceOrderWithServices(turn.sql, turn.key);
  const running = so?.state === "in_progress" && services.length > 0;
  const { cfs, rfs } = running ? split(services) : { cfs: undefined, rfs: [] };
  const c = cfs && characteristicsOf(cfs);
  if (!so || !cfs || !c?.pendingTasks || !(taskType in c.pendingTasks)) {
    log.info("som.task_outcome.ignored", { commercialOrderId: turn.key, taskType, status });
    return undefined;
  }
  await saveCharacteristics(turn, cfs, {
    ...c,
    pendingTasks: { ...c.pendingTasks, [taskType]: status },
  });
  return { so, cfs, rfs };
}

/** A task completed; the last one completes the service order. */
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
  ports: Pick<SomPorts, "releaseLine">,
) {
  if (m.permanent === false) return;
  const run = await mark(turn, m.taskType, "failed");
  if (!run) return;
  const c = characteristicsOf(run.cfs);
  const reason = `provisioning task ${m.taskType} failed permanently`;
  await moveServices(turn, [run.cfs], "failed", reason);
  await moveServiceOrder(turn, run.so, "failed", reason);
  if (c.msisdn && c.iccid) await ports.releaseLine({ msisdn: c.msisdn, iccid: c.iccid });
  turn.emit(serviceOrderEvent("service_order.failed", run.so, { reason }));
}

/** A task is stuck: noted; the order waits for an operator. */
export async function taskStuck(turn: Turn, m: ServiceOrderMessageOf<"task_stuck">) {
  await mark(turn, m.taskType, "stuck");
}
