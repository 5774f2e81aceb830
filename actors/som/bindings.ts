/**
 * SOM's event consumers (docs/flows.md §5.1): the commercial order's submit, cancel, failure and
 * completion, and the provisioning simulator's task results — each into the service order
 * actor of that commercial order.
 *
 * @module
 */
import type { Binding, BusEvent } from "../bridge/types.ts";
import { SERVICE_ORDER_KIND } from "./decompose.ts";

function orderIdOf(event: BusEvent): string {
  const id = event.payload.commercialOrderId;
  if (typeof id !== "string" || id === "") throw new TypeError("no commercialOrderId");
  return id;
}

/** A binding of `pattern` on queue `som.<pattern>` sending the payload as `type`. */
function bind(pattern: string, type: string): Binding {
  return {
    queue: `som.${pattern}`,
    pattern,
    to: (event) => ({
      kind: SERVICE_ORDER_KIND,
      key: orderIdOf(event),
      message: { ...event.payload, type },
    }),
  };
}

/** SOM's bindings. */
export const somBindings: Binding[] = [
  bind("order.in_progress", "decompose"),
  bind("order.cancelled", "cancel"),
  bind("order.failed", "order_failed"),
  bind("order.completed", "link_subscription"),
  bind("provisioning.task.completed", "task_completed"),
  bind("provisioning.task.failed", "task_failed"),
  bind("provisioning.task.stuck", "task_stuck"),
];
