/**
 * Order, service-order and provisioning tools (docs/cockpit.md §4.2 order.*, som.*, provisioning.*).
 *
 * @module
 */
import { z } from "zod";
import { ORDER_STATES } from "../actors/com/model.ts";
import { FAULT_TYPES, TASK_STATES } from "../actors/provisioning/vocab.ts";
import { NotFound } from "../kernel/errors.ts";
import {
  cancelProductOrder,
  createProductOrder,
  getProductOrder,
  listProductOrders,
  submitProductOrder,
} from "../http/com/product_orders.ts";
import { getTask, listTasks, resolveTask, retryTask } from "../http/provisioning/tasks.ts";
import { listFaultInjections, updateFaultInjection } from "../http/provisioning/fault_injection.ts";
import { getServiceRoute, listServices } from "../http/som/services.ts";
import { getServiceOrderRoute, listServiceOrders } from "../http/som/service_orders.ts";
import { CustomerId, idOf, OfferingId, OrderId, paged, SubscriptionId } from "./args.ts";
import { defineTool, OPERATOR, type Tool, type ToolContext } from "./tool.ts";

const ServiceId = idOf("SVC-", "som.service.list_for_subscription");
const TaskId = idOf("PTK-", "provisioning.list_tasks");
const TASK_TYPES = [
  "HLR_PROVISION",
  "HLR_DEPROVISION",
  "PCRF_POLICY_PUSH",
  "OCS_BALANCE_INIT",
  "ESIM_PROFILE_PREPARE",
] as const;
/** States an order never leaves. */
const FINAL = new Set(["completed", "failed", "cancelled"]);
const POLL_MS = 500;

/** An order poll that ran out of time. */
export class WaitTimeout extends Error {
  override name = "WaitTimeout";
}

/** Reads one order. */
function order(ctx: ToolContext, id: string) {
  return ctx.client("com").call(getProductOrder, { params: { id } });
}

/**
 * Polls an order until it is in `target` or a final state, and returns it; `onState` hears
 * every state it is seen in, first included (the CLI's progress lines).
 */
export async function waitForOrder(
  ctx: ToolContext,
  id: string,
  target: string,
  timeoutS: number,
  onState: (state: string) => void = () => {},
) {
  const deadline = Date.now() + timeoutS * 1000;
  let seen = "";
  for (;;) {
    const current = await order(ctx, id);
    if (current.state !== seen) onState(seen = current.state);
    if (current.state === target || FINAL.has(current.state)) return current;
    if (Date.now() >= deadline) {
      throw new WaitTimeout(`order ${id} is still ${current.state} after ${timeoutS}s`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** The order tools. */
export const orderTools: Tool[] = [
  defineTool({
    name: "order.create",
    description: "Create and submit an order for a plan; answers it as created " +
      "(acknowledged) and order.wait_until follows it",
    class: "create",
    profiles: OPERATOR,
    args: z.object({
      customer_id: CustomerId,
      offering_id: OfferingId,
      msisdn_preference: z.string().trim().regex(/^\d{4,15}$/, "4–15 digits").optional()
        .describe("The number to take if it is still free, else the next free one"),
      notes: z.string().max(2000).optional().describe("Free text kept on the order"),
      wait: z.boolean().default(false).describe("Answer once the order is final (up to 60 s)"),
    }),
    run: async (a, ctx) => {
      const com = ctx.client("com");
      const created = await com.call(createProductOrder, {
        body: {
          customerId: a.customer_id,
          offeringId: a.offering_id,
          msisdnPreference: a.msisdn_preference,
          notes: a.notes,
        },
      });
      // A repeat of a keyed create answers the order the first try made, which that try may
      // have submitted already: a refused submit of an order no longer acknowledged is done.
      await com.call(submitProductOrder, { params: { id: created.id } }).catch(async (e) => {
        const now = await com.call(getProductOrder, { params: { id: created.id } });
        if (now.state === "acknowledged") throw e;
      });
      // The reply is the order as created (acknowledged), as the reference's tool answers.
      return a.wait ? await waitForOrder(ctx, created.id, "completed", 60) : created;
    },
  }),
  defineTool({
    name: "order.get",
    description: "One order with its items",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ order_id: OrderId }),
    run: ({ order_id }, ctx) => order(ctx, order_id),
  }),
  defineTool({
    name: "order.list",
    description: "A customer's orders",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ customer_id: CustomerId, ...paged(50, 200) }),
    run: ({ customer_id, limit, offset }, ctx) =>
      ctx.client("com").call(listProductOrders, {
        query: { customerId: customer_id, limit, offset },
      }),
  }),
  defineTool({
    name: "order.cancel",
    description: "Cancel an order that has not completed (inventory is released)",
    class: "destructive",
    profiles: OPERATOR,
    args: z.object({ order_id: OrderId }),
    run: ({ order_id }, ctx) =>
      ctx.client("com").call(cancelProductOrder, { params: { id: order_id } }),
  }),
  defineTool({
    name: "order.wait_until",
    description: "Poll an order until it reaches target_state or a final state",
    class: "read",
    profiles: OPERATOR,
    args: z.object({
      order_id: OrderId,
      target_state: z.enum(ORDER_STATES).default("completed"),
      timeout_s: z.number().min(0).max(600).default(30),
    }),
    run: ({ order_id, target_state, timeout_s }, ctx) =>
      waitForOrder(ctx, order_id, target_state, timeout_s),
  }),
];

/** The service-order and service inventory tools. */
export const somTools: Tool[] = [
  defineTool({
    name: "service_order.get",
    description: "One service order with its items",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ service_order_id: idOf("SO-", "service_order.list_for_order") }),
    run: ({ service_order_id }, ctx) =>
      ctx.client("som").call(getServiceOrderRoute, { params: { id: service_order_id } }),
  }),
  defineTool({
    name: "service_order.list_for_order",
    description: "The service orders decomposed from an order",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ commercial_order_id: OrderId }),
    run: ({ commercial_order_id }, ctx) =>
      ctx.client("som").call(listServiceOrders, {
        query: { commercialOrderId: commercial_order_id },
      }),
  }),
  defineTool({
    name: "service.get",
    description: "One service (CFS or RFS) with its characteristics",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ service_id: ServiceId }),
    run: ({ service_id }, ctx) =>
      ctx.client("som").call(getServiceRoute, { params: { id: service_id } }),
  }),
  defineTool({
    name: "service.list_for_subscription",
    description: "A subscription's services, CFS and RFS in one flat list",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ subscription_id: SubscriptionId }),
    run: ({ subscription_id }, ctx) =>
      ctx.client("som").call(listServices, { query: { subscriptionId: subscription_id } }),
  }),
];

/** The provisioning tools. */
export const provisioningTools: Tool[] = [
  defineTool({
    name: "provisioning.list_tasks",
    description: "Provisioning tasks, by service or state",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ service_id: ServiceId.optional(), state: z.enum(TASK_STATES).optional() }),
    run: ({ service_id, state }, ctx) =>
      ctx.client("provisioning-sim").call(listTasks, {
        query: { serviceId: service_id, state },
      }),
  }),
  defineTool({
    name: "provisioning.get_task",
    description: "One provisioning task",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ task_id: TaskId }),
    run: ({ task_id }, ctx) =>
      ctx.client("provisioning-sim").call(getTask, { params: { id: task_id } }),
  }),
  defineTool({
    name: "provisioning.resolve_stuck",
    description: "Re-run a stuck task by hand, with a note (active fault injection still applies)",
    class: "update",
    profiles: OPERATOR,
    args: z.object({ task_id: TaskId, note: z.string().trim().min(1).max(1000) }),
    run: ({ task_id, note }, ctx) =>
      ctx.client("provisioning-sim").call(resolveTask, {
        params: { id: task_id },
        body: { note },
      }),
  }),
  defineTool({
    name: "provisioning.retry_failed",
    description: "Retry a failed task (its attempts start again)",
    class: "update",
    profiles: OPERATOR,
    args: z.object({ task_id: TaskId }),
    run: ({ task_id }, ctx) =>
      ctx.client("provisioning-sim").call(retryTask, { params: { id: task_id } }),
  }),
  defineTool({
    name: "provisioning.set_fault_injection",
    description: "Turn a simulated network fault on or off for a task type",
    class: "destructive",
    profiles: OPERATOR,
    args: z.object({
      task_type: z.enum(TASK_TYPES),
      fault_type: z.enum(FAULT_TYPES),
      enabled: z.boolean(),
      probability: z.number().min(0).max(1).optional().describe(
        "0–1; enabling without one makes the fault certain (1), disabling keeps the rule's",
      ),
    }),
    run: async ({ task_type, fault_type, enabled, probability }, ctx) => {
      const sim = ctx.client("provisioning-sim");
      const rules = await sim.call(listFaultInjections);
      const rule = rules.find((r) => r.taskType === task_type && r.faultType === fault_type);
      if (!rule) throw new NotFound("fault injection", `${task_type}/${fault_type}`);
      return sim.call(updateFaultInjection, {
        params: { id: rule.id },
        // A fault switched on is meant to happen: a stale rule probability (0.05) is not kept.
        body: { enabled, probability: probability ?? (enabled ? 1 : undefined) },
      });
    },
  }),
];
