/**
 * Order card (docs/cockpit.md §3.5): the commercial order and, below it, its SOM tree — service
 * orders, CFS, their RFS and the provisioning tasks of each — with a summary footer.
 *
 * @module
 */
import { box } from "./box.ts";
import { formatMsisdn, orDash } from "./format.ts";
import type { RenderOptions } from "./options.ts";
import { type TreeNode, treeRows } from "./tree.ts";
import type { Order, Service, ServiceOrder, Task } from "./wire.ts";

/** An order and its fulfilment as SOM and provisioning report it. */
export interface OrderCardData {
  order: Order;
  serviceOrders?: ServiceOrder[];
  /** CFS with their RFS as `children` (TMF638). */
  services?: Service[];
  tasks?: Task[];
  /** The number of the line the order made, when known. */
  msisdn?: string;
  /** Why a failed or cancelled order ended. */
  reason?: string;
}

// The end date's label: what the order's end was.
const ENDED: Readonly<Record<string, string>> = { failed: "Failed:", cancelled: "Cancelled:" };

function seconds(from: string | null, to: string | null): number | null {
  return from && to ? (Date.parse(to) - Date.parse(from)) / 1000 : null;
}

function taskNode(task: Task): TreeNode {
  const took = seconds(task.startedAt, task.completedAt);
  const note = task.attempts > 1
    ? `  ${task.attempts} attempts`
    : took === null
    ? ""
    : `  (${took.toFixed(1)}s)`;
  return { label: `${task.id}  ${task.taskType}`, state: task.state, note, children: [] };
}

function serviceNode(service: Service, tasks: Task[]): TreeNode {
  return {
    label: `${service.type} ${service.id}  ${service.specId}`,
    state: service.state,
    children: [
      ...service.children.map((child) => serviceNode(child, tasks)),
      ...tasks.filter((t) => t.serviceId === service.id).map(taskNode),
    ],
  };
}

/** Which service order each CFS belongs to; CFS no order names go under the first. */
function servicesOf(so: ServiceOrder, first: boolean, all: Service[], orders: ServiceOrder[]) {
  const targeted = (o: ServiceOrder) => o.serviceOrderItem.map((i) => i.targetServiceId);
  const claimed = new Set(orders.flatMap(targeted));
  return all.filter((s) => targeted(so).includes(s.id) || (first && !claimed.has(s.id)));
}

function orderTree(data: OrderCardData): TreeNode {
  const orders = data.serviceOrders ?? [];
  const services = data.services ?? [];
  const tasks = data.tasks ?? [];
  return {
    label: `Order ${data.order.id}`,
    state: data.order.state,
    children: orders.map((so, i) => ({
      label: `Service Order ${so.id}`,
      state: so.state,
      children: servicesOf(so, i === 0, services, orders).map((s) => serviceNode(s, tasks)),
    })),
  };
}

function summary(data: OrderCardData): string {
  const tasks = data.tasks ?? [];
  const failed = tasks.filter((t) => t.state === "failed" || t.state === "stuck").length;
  const total = seconds(data.order.orderDate, data.order.completedDate);
  const parts = [
    data.serviceOrders?.length ? `${data.serviceOrders.length} SO` : "",
    tasks.length ? `${tasks.length} tasks` : "",
    failed ? `${failed} failed` : "",
  ].filter(Boolean).join(" · ");
  const took = total === null ? "" : `total ${total.toFixed(1)}s`;
  return `Summary: ${[parts, took].filter(Boolean).join("  ")}`;
}

/** The order card with its SOM tree. */
export function renderOrder(data: OrderCardData, options: RenderOptions): string {
  const { order } = data;
  const inner = options.width - 4;
  const item = order.productOrderItem[0];
  const lines = [
    `Customer:  ${order.customerId}`,
    `Placed:    ${order.orderDate}`,
    `${(ENDED[order.state] ?? "Completed:").padEnd(10)} ${orDash(order.completedDate)}`,
    ...data.reason ? [`Reason:    ${data.reason}`] : [],
    "",
    ...treeRows(orderTree(data), inner, options.color),
  ];
  if (!data.services?.length) lines.push("   (no services attached)");
  if (item?.targetSubscriptionId) {
    const done = order.state === "completed" ? "activated" : "(pending)";
    const line = data.msisdn ? `  MSISDN ${formatMsisdn(data.msisdn)}` : "";
    lines.push("", `→ Subscription ${item.targetSubscriptionId} ${done}${line}`);
  }
  lines.push("", summary(data));
  return box(lines, `${order.id}  ${item?.offeringId ?? "—"}`, options);
}
