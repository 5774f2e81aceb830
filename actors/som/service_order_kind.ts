/**
 * The service order actor (kind `service_order`, service `som`, key = the commercial order
 * id, so everything about one order — decomposition, task results, a cancel — is handled in
 * turn, one at a time).
 *
 * @module
 */
import type { ActorKind, Turn } from "../runtime/types.ts";
import { cancelServiceOrder, stopBeforeStart } from "./cancel.ts";
import { decompose, lineReserved, mappingRead, SERVICE_ORDER_KIND, start } from "./decompose.ts";
import { log } from "../../kernel/log.ts";
import { linkSubscription } from "./link.ts";
import { ServiceOrderMessage } from "./messages.ts";
import { noAnswer } from "./no_answer.ts";
import { orderFailed } from "./order_failed.ts";
import type { SomPorts } from "./ports.ts";
import { serviceOrderOf } from "./queries.ts";
import { taskCompleted, taskFailed, taskStuck } from "./task_outcomes.ts";

export { SERVICE_ORDER_KIND };

/** The service order kind, reaching the catalog and the inventory through `ports`. */
export function serviceOrderKind(ports: SomPorts): ActorKind<ServiceOrderMessage> {
  return {
    kind: SERVICE_ORDER_KIND,
    service: "som",
    parse: (body) => ServiceOrderMessage.parse(body),
    // Messages come from events or the actor itself, except `stop`, which COM awaits.
    handle: (turn, m) => noAnswer(`service_order ${turn.key} ${m.type}`, dispatch(turn, m)),
    state: (sql, key) => serviceOrderOf(sql, key),
  };

  function dispatch(turn: Turn, m: ServiceOrderMessage): Promise<unknown> {
    switch (m.type) {
      case "decompose":
        return decompose(turn, m, ports);
      case "mapping_read":
        return mappingRead(turn, m, ports);
      case "start":
        return start(turn);
      case "line_reserved":
        return lineReserved(turn, m);
      case "line_released":
        log.info("som.line_released", { commercialOrderId: turn.key, ok: m.outcome.ok });
        return Promise.resolve();
      case "task_completed":
        return taskCompleted(turn, m);
      case "task_failed":
        return taskFailed(turn, m);
      case "task_stuck":
        return taskStuck(turn, m);
      case "stop":
        return stopBeforeStart(turn);
      case "cancel":
        return cancelServiceOrder(turn, m);
      case "order_failed":
        return orderFailed(turn, m);
      case "link_subscription":
        return linkSubscription(turn, m);
    }
  }
}
