/**
 * Which card renders which tool result (docs/cockpit.md §3.2, plus cases, tickets, provisioning
 * tasks, payment methods and attempts, and events), and which card a change prints (the one of
 * the resource it answers): the CLI, the cockpit and the agent print a card when one exists and
 * fall back to plain lines or JSON otherwise.
 *
 * @module
 */
import {
  type CaseCardData,
  renderCase,
  renderTicket,
  renderTranscript,
  type TranscriptCardData,
} from "./case.ts";
import { renderPlan, renderPlanComparison, renderVasTable } from "./catalog.ts";
import { type Customer360, renderCustomer360 } from "./customer.ts";
import { type EsimCardData, renderEsim } from "./esim.ts";
import {
  type PoolCounts,
  renderCustomerList,
  renderMsisdnList,
  renderOrderList,
  renderPool,
  renderPortList,
  renderPortRequest,
  renderTasks,
} from "./lists.ts";
import type { RenderOptions } from "./options.ts";
import { renderOrder } from "./order.ts";
import {
  renderCaseList,
  renderEvents,
  renderPaymentAttempts,
  renderPaymentMethods,
  renderServiceStats,
  renderTicketList,
} from "./records.ts";
import { type Balance, renderBalances, renderSubscription } from "./subscription.ts";
import { fit } from "./text.ts";
import type {
  Customer,
  Msisdn,
  Offering,
  Order,
  PortRequest,
  Subscription,
  Task,
  Ticket,
  VasOffering,
} from "./wire.ts";

/** Options of {@link renderToolResult}: the render options plus the clock's now. */
export interface DispatchOptions extends RenderOptions {
  now?: string;
}

type Renderer = (data: never, options: DispatchOptions) => string;
type Loose = Record<string, unknown>;

const subscriptions = (subs: Subscription[], options: DispatchOptions) =>
  subs.length
    ? subs.map((subscription) => renderSubscription({ subscription, now: options.now }, options))
      .join(`\n${" ".repeat(options.width)}\n`)
    : fit("(no subscriptions)", options.width);

const RENDERERS: Record<string, Renderer> = {
  "customer.get": (c: Customer360, o) => renderCustomer360(c, o),
  "customer.find_by_msisdn": (c: Customer360, o) => renderCustomer360(c, o),
  "customer.list": (c: Customer[], o) => renderCustomerList(c, o),
  "subscription.get": (subscription: Subscription, o) =>
    renderSubscription({ subscription, now: o.now }, o),
  "subscription.list_for_customer": subscriptions,
  "subscription.get_balance": (balances: Balance[], o) =>
    renderBalances({ subscriptionId: balances[0]?.subscriptionId ?? "", balances }, o),
  "case.get": (c: CaseCardData, o) => renderCase(c, o),
  "case.show_transcript_for": (t: TranscriptCardData, o) => renderTranscript(t, o),
  "ticket.get": (t: Ticket, o) => renderTicket(t, o),
  "provisioning.list_tasks": (tasks: Task[], o) => renderTasks(tasks, o),
  "subscription.get_esim_activation": (e: EsimCardData, o) => renderEsim(e, o),
  "inventory.esim.get_activation": (e: EsimCardData, o) => renderEsim(e, o),
  "order.get": (order: Order, o) => renderOrder({ order }, o),
  "order.list": (orders: Order[], o) => renderOrderList(orders, o),
  "catalog.list_offerings": (plans: Offering[], o) => renderPlanComparison(plans, o),
  "catalog.list_active_offerings": (plans: Offering[], o) => renderPlanComparison(plans, o),
  "catalog.get_offering": (plan: Offering, o) => renderPlan(plan, o),
  "catalog.list_vas": (vas: VasOffering[], o) => renderVasTable(vas, o),
  "inventory.msisdn.list_available": (n: Msisdn[], o) => renderMsisdnList(n, o),
  "inventory.msisdn.count": (pool: PoolCounts, o) => renderPool(pool, o),
  "port_request.list": (ports: PortRequest[], o) => renderPortList(ports, o),
  "port_request.get": (port: PortRequest, o) => renderPortRequest(port, o),
  "case.list": (cases: Loose[], o) => renderCaseList(cases, o),
  "ticket.list": (tickets: Loose[], o) => renderTicketList(tickets, o),
  "payment.list_methods": (methods: Loose[], o) => renderPaymentMethods(methods, o),
  "payment.list_attempts": (attempts: Loose[], o) => renderPaymentAttempts(attempts, o),
  "events.list": (events: Loose[], o) => renderEvents(events, o),
  "trace.services": (stats: Loose[], o) => renderServiceStats(stats, o),
};

/** Creates and changes that answer the resource a show command has a card for: they print it. */
export const SHOWN_AS: Readonly<Record<string, string>> = {
  "order.create": "order.get",
  "customer.create": "customer.find_by_msisdn",
  "customer.update_name": "customer.find_by_msisdn",
  "customer.update_contact": "customer.find_by_msisdn",
  "customer.close": "customer.find_by_msisdn",
  "case.open": "case.get",
  "case.update_priority": "case.get",
  "case.transition": "case.get",
  "case.close": "case.get",
  "ticket.open": "ticket.get",
  "ticket.assign": "ticket.get",
  "ticket.transition": "ticket.get",
  "ticket.resolve": "ticket.get",
  "ticket.close": "ticket.get",
  "ticket.cancel": "ticket.get",
  "port_request.approve": "port_request.get",
  "port_request.reject": "port_request.get",
  "order.cancel": "order.get",
  "subscription.purchase_vas": "subscription.get",
  "subscription.renew_now": "subscription.get",
  "subscription.terminate": "subscription.get",
  "subscription.schedule_plan_change": "subscription.get",
  "subscription.cancel_pending_plan_change": "subscription.get",
};

/** Tools that have a card. */
export const RENDERED_TOOLS: readonly string[] = Object.keys(RENDERERS);

/**
 * The card of a tool's JSON result, or null when the tool has none, the JSON is bad or empty,
 * or the result does not have the shape the card needs (an error object, say).
 */
export function renderToolResult(
  tool: string,
  json: string,
  options: DispatchOptions,
): string | null {
  const render = RENDERERS[tool];
  if (!render) return null;
  try {
    const data = JSON.parse(json);
    if (data === null || typeof data !== "object" || "error" in data) return null;
    return render(data as never, options);
  } catch {
    return null;
  }
}
