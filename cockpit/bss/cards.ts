/**
 * The card a CLI command prints on a terminal: the tool's card (`cockpit/render/dispatch.ts`),
 * with what an operator looks for next fetched beside it — a subscription's eSIM QR, an
 * order's service orders, services, tasks and line, a case's tickets, the BSS clock's now
 * for "renews in". Extras are best effort: one that cannot be read is left out, never an
 * error.
 *
 * @module
 */
import { type DispatchOptions, renderToolResult, SHOWN_AS } from "../render/dispatch.ts";
import { renderEsim } from "../render/esim.ts";
import { renderOrder } from "../render/order.ts";
import type { Order, Service, ServiceOrder, Task } from "../render/wire.ts";
import { toolNamed } from "../../tools/registry.ts";
import type { ToolContext } from "../../tools/tool.ts";

type Loose = Record<string, unknown>;

/** Runs tool `name` for an extra; undefined when it is not there or fails. */
async function extra<T>(name: string, args: Loose, ctx: ToolContext): Promise<T | undefined> {
  try {
    return await toolNamed(name)?.invoke(args, ctx) as T | undefined;
  } catch {
    return undefined;
  }
}

/** The BSS clock's now (for "renews in"), or undefined when it cannot be read. */
export async function bssNow(ctx: ToolContext): Promise<string | undefined> {
  return (await extra<{ now: string }>("clock.now", {}, ctx))?.now;
}

/** Why an order ended: the `reason` of its last event that has one. */
export async function orderEndReason(orderId: string, ctx: ToolContext): Promise<string> {
  const events = await extra<Array<{ eventType: string; payload?: Loose }>>("events.list", {
    aggregate_id: orderId,
    limit: 200,
  }, ctx) ?? [];
  const last = events.filter((e) => typeof e.payload?.reason === "string").at(-1);
  if (!last) return "no reason recorded";
  const decline = last.payload!.declineCode;
  return `${last.payload!.reason}${
    typeof decline === "string" ? `, ${decline}` : ""
  } (${last.eventType})`;
}

/** The order card with its SOM tree, tasks, the line it made, and why it ended if it failed. */
async function orderCard(order: Order, ctx: ToolContext, options: DispatchOptions) {
  const subscriptionId = order.productOrderItem[0]?.targetSubscriptionId;
  const ended = ["failed", "cancelled"].includes(order.state);
  const [serviceOrders, services, line, reason] = await Promise.all([
    extra<ServiceOrder[]>("som.service_order.list_for_order", {
      commercial_order_id: order.id,
    }, ctx),
    subscriptionId
      ? extra<Service[]>("som.service.list_for_subscription", {
        subscription_id: subscriptionId,
      }, ctx)
      : undefined,
    subscriptionId
      ? extra<Loose>("subscription.get", { subscription_id: subscriptionId }, ctx)
      : undefined,
    ended ? orderEndReason(order.id, ctx) : undefined,
  ]);
  const ids = (services ?? []).flatMap((s) => [s.id, ...s.children.map((c) => c.id)]);
  const tasks = (await Promise.all(
    ids.map((id) => extra<Task[]>("provisioning.list_tasks", { service_id: id }, ctx)),
  )).flatMap((t) => t ?? []);
  const msisdn = typeof line?.msisdn === "string" ? line.msisdn : undefined;
  return renderOrder({ order, serviceOrders, services, tasks, msisdn, reason }, options);
}

/**
 * The card of `toolName`'s `result` with its extras, or null when the tool has no card (the
 * caller then prints plain lines).
 */
export async function cardOf(
  toolName: string,
  result: unknown,
  ctx: ToolContext,
  options: DispatchOptions,
): Promise<string | null> {
  const o = { ...options, now: await bssNow(ctx) };
  const card = SHOWN_AS[toolName] ?? toolName;
  const base = renderToolResult(card, JSON.stringify(result), o);
  if (base === null) return null;
  const record = result as Loose;
  switch (card) {
    case "order.get":
      return await orderCard(result as Order, ctx, o);
    case "subscription.get": {
      // The eSIM's QR belongs to showing the line, not to every change of it.
      if (toolName !== "subscription.get") return base;
      const esim = await extra<Loose>("subscription.get_esim_activation", {
        subscription_id: record.id,
      }, ctx);
      return esim ? `${base}\n${renderEsim(esim as never, o)}` : base;
    }
    case "customer.find_by_msisdn": {
      // The lookup (or create) answers the bare customer; the 360 wants its lines, cases and
      // interactions.
      const full = await extra("customer.get", { customer_id: record.id }, ctx);
      return renderToolResult("customer.get", JSON.stringify(full ?? record), o) ?? base;
    }
    case "case.get": {
      const tickets = await extra<Loose[]>("ticket.list", { case_id: record.id }, ctx);
      return renderToolResult(card, JSON.stringify({ ...record, tickets }), o) ?? base;
    }
    default:
      return base;
  }
}
