/**
 * The customer self-serve wrappers (docs/cockpit.md §4.2 "wrappers"): the operator tools narrowed to
 * the customer bound to the call (tools/ownership.ts). They take no customer argument; a
 * subscription-scoped wrapper checks the line is the customer's before it reads or writes.
 * Each runs the operator tool it narrows, or the same typed route, and adds nothing but the
 * ownership check and the customer-facing fields docs/cockpit.md names.
 *
 * @module
 */
import { z } from "zod";
import { CASE_STATES } from "../actors/crm/case_machine.ts";
import { sha256Hex } from "../actors/crm/sha256.ts";
import {
  type CaseCategory,
  ESCALATION_CATEGORIES,
  type EscalationCategory,
  type Priority,
} from "../actors/crm/vocab.ts";
import { listCases, openCase } from "../http/crm/cases.ts";
import { recordChatTranscript } from "../http/crm/chat_transcripts.ts";
import { listUsageRoute } from "../http/mediation/usage.ts";
import { finishCardEntryRoute, startCardEntryRoute } from "../http/payment/card_entry.ts";
import { listSubscriptions, terminateSubscription } from "../http/subscription/routes.ts";
import type { Subscription } from "../http/subscription/schemas.ts";
import { maskPans } from "../kernel/pan.ts";
import { idOf, Instant, limit, UsageEventType, VasOfferingId } from "./args.ts";
import { customerTools } from "./customer.ts";
import { boundCustomer, boundTranscript, ownedSubscription } from "./ownership.ts";
import { paymentTools } from "./payment.ts";
import { subscriptionTools, withReferenceBalances } from "./subscription.ts";
import { defineTool, type Profile, type Tool, type ToolContext } from "./tool.ts";

/** Offered to the customer's self-serve chat only. */
const CUSTOMER: readonly Profile[] = ["customer_self_serve"];

const MySubscriptionId = idOf("SUB-", "subscription.list_mine");
const NewOfferingId = idOf("PLAN_…/offering", "catalog.list_active_offerings");

/** The operator tool a wrapper narrows; a missing one fails at import. */
function operatorTool(tools: readonly Tool[], name: string): Tool {
  const tool = tools.find((t) => t.name === name);
  if (!tool) throw new Error(`self-serve wrapper: no operator tool ${name}`);
  return tool;
}

const customerGet = operatorTool(customerTools, "customer.get");
const listMethods = operatorTool(paymentTools, "payment.list_methods");
const listAttempts = operatorTool(paymentTools, "payment.list_attempts");

/** What a subscription will cost next, and its promotion in words (null when none). */
function customerFacing(sub: z.output<typeof Subscription>) {
  return {
    ...withReferenceBalances(sub),
    // effectiveAmount is the price after any discount still running, else the price itself.
    currentMonthlyCharge: `${sub.priceCurrency} ${sub.effectiveAmount}`,
    activeDiscount: activeDiscount(sub),
  };
}

/** `10% off (ongoing)`, `SGD 5.00 off — 2 more renewal(s) at this price, then …`, or null. */
function activeDiscount(sub: z.output<typeof Subscription>): string | null {
  const { discountType: type, discountValue: value, discountPeriodsRemaining: left } = sub;
  if (!value || left === 0 || (type !== "percent" && type !== "absolute")) return null;
  const ccy = sub.priceCurrency;
  const off = type === "percent" ? `${Number(value)}% off` : `${ccy} ${value} off`;
  return left < 0
    ? `${off} (ongoing)`
    : `${off} — ${left} more renewal(s) at this price, then ${ccy} ${sub.priceAmount}/mo`;
}

/** A CRM record with its owner also under `customerId`, the ownership path of docs/cockpit.md §4.5. */
function withCustomerId<C extends { customer_id: string }>(record: C) {
  return { ...record, customerId: record.customer_id };
}

/** A line's usage events, newest first, as `usage.history` reads them. */
function usageOf(
  ctx: ToolContext,
  subscriptionId: string,
  a: { event_type?: string; since?: string; limit: number },
) {
  return ctx.client("mediation").call(listUsageRoute, {
    query: { subscriptionId, type: a.event_type, since: a.since, limit: a.limit },
  });
}

/** docs/cockpit.md §4.6: what a chat escalation becomes as a case. */
const ESCALATION: Record<EscalationCategory, { category: CaseCategory; priority: Priority }> = {
  fraud: { category: "account", priority: "high" },
  billing_dispute: { category: "billing", priority: "medium" },
  regulator_complaint: { category: "account", priority: "high" },
  identity_recovery: { category: "account", priority: "high" },
  bereavement: { category: "account", priority: "medium" },
  other: { category: "information", priority: "medium" },
};

/**
 * Stores the bound chat transcript, if any, for `customerId`; returns its hash. Card numbers
 * are masked first, as the CRM's edge would mask them, so the hash is of what is stored.
 */
async function storedTranscript(ctx: ToolContext, customerId: string) {
  const bound = boundTranscript();
  if (!bound) return undefined;
  const body = maskPans(bound);
  const stored = await ctx.client("crm").call(recordChatTranscript, {
    body: { hash: await sha256Hex(body), customer_id: customerId, body },
  });
  return stored.hash;
}

/**
 * A wrapper taking `subscription_id` (and `more` arguments) that checks the line is the
 * customer's, then runs the operator tool `spec.operator` with the same arguments.
 */
function onOwnedLine(
  spec: { name: string; description: string; class: Tool["class"]; operator: string },
  more: z.ZodRawShape = {},
): Tool {
  const operator = operatorTool(subscriptionTools, spec.operator);
  return defineTool({
    name: spec.name,
    description: spec.description,
    class: spec.class,
    profiles: CUSTOMER,
    args: z.object({ subscription_id: MySubscriptionId, ...more }),
    run: async (a, ctx) => {
      await ownedSubscription(ctx, a.subscription_id);
      return operator.invoke(a, ctx);
    },
  });
}

/** The customer self-serve wrappers. */
export const selfServeTools: Tool[] = [
  defineTool({
    name: "subscription.list_mine",
    description: "Your subscriptions, with what each costs per month and any discount",
    class: "read",
    profiles: CUSTOMER,
    args: z.object({}),
    run: async (_, ctx) =>
      (await ctx.client("subscription").call(listSubscriptions, {
        query: { customerId: boundCustomer() },
      })).map(customerFacing),
  }),
  defineTool({
    name: "subscription.get_mine",
    description: "One of your subscriptions, with what it costs per month and any discount",
    class: "read",
    profiles: CUSTOMER,
    args: z.object({ subscription_id: MySubscriptionId }),
    run: async ({ subscription_id }, ctx) =>
      customerFacing(await ownedSubscription(ctx, subscription_id)),
  }),
  onOwnedLine({
    name: "subscription.get_balance_mine",
    description: "The remaining allowances of one of your subscriptions",
    class: "read",
    operator: "subscription.get_balance",
  }),
  onOwnedLine({
    name: "subscription.get_lpa_mine",
    description: "The eSIM activation code (LPA) of one of your subscriptions",
    class: "read",
    operator: "subscription.get_esim_activation",
  }),
  defineTool({
    name: "usage.history_mine",
    description: "Your usage events, newest first: one subscription's, or all of your lines'",
    class: "read",
    profiles: CUSTOMER,
    args: z.object({
      subscription_id: MySubscriptionId.optional(),
      event_type: UsageEventType.optional(),
      since: Instant.optional(),
      limit: limit(100),
    }),
    run: async (a, ctx) => {
      if (a.subscription_id) {
        await ownedSubscription(ctx, a.subscription_id);
        return usageOf(ctx, a.subscription_id, a);
      }
      const lines = await ctx.client("subscription").call(listSubscriptions, {
        query: { customerId: boundCustomer() },
      });
      const events = (await Promise.all(lines.map((l) => usageOf(ctx, l.id, a)))).flat();
      return events
        .sort((x, y) => Date.parse(y.eventTime) - Date.parse(x.eventTime))
        .slice(0, a.limit);
    },
  }),
  defineTool({
    name: "customer.get_mine",
    description: "Your customer record with your subscriptions, cases and recent interactions",
    class: "read",
    profiles: CUSTOMER,
    args: z.object({}),
    run: (_, ctx) => customerGet.invoke({ customer_id: boundCustomer() }, ctx),
  }),
  defineTool({
    name: "payment.method_list_mine",
    description: "Your cards on file",
    class: "read",
    profiles: CUSTOMER,
    args: z.object({}),
    run: (_, ctx) => listMethods.invoke({ customer_id: boundCustomer() }, ctx),
  }),
  defineTool({
    name: "payment.card_entry_start_mine",
    description: "Start entering a card at the payment provider's page (Stripe Checkout): " +
      "answers the page to send you to; you come back to return_url (or cancel_url)",
    class: "create",
    profiles: CUSTOMER,
    // A browser redirect, not something a chat can do for the customer.
    hidden: true,
    args: z.object({ return_url: z.url(), cancel_url: z.url() }),
    run: ({ return_url, cancel_url }, ctx) =>
      ctx.client("payment").call(startCardEntryRoute, {
        body: { customerId: boundCustomer(), returnUrl: return_url, cancelUrl: cancel_url },
      }),
  }),
  defineTool({
    name: "payment.card_entry_finish_mine",
    description: "Put on file the card you entered at the payment provider's page",
    class: "create",
    profiles: CUSTOMER,
    hidden: true,
    args: z.object({ entry_id: z.string().trim().min(3).max(255) }),
    run: ({ entry_id }, ctx) =>
      ctx.client("payment").call(finishCardEntryRoute, {
        params: { id: entry_id },
        body: { customerId: boundCustomer() },
      }),
  }),
  defineTool({
    name: "payment.charge_history_mine",
    description: "Your payment attempts, newest first",
    class: "read",
    profiles: CUSTOMER,
    args: z.object({ limit: limit(20) }),
    run: ({ limit }, ctx) => listAttempts.invoke({ customer_id: boundCustomer(), limit }, ctx),
  }),
  defineTool({
    name: "case.list_for_me",
    description: "Your support cases, newest first, optionally in one state",
    class: "read",
    profiles: CUSTOMER,
    args: z.object({ state: z.enum(CASE_STATES).optional() }),
    run: async ({ state }, ctx) =>
      (await ctx.client("crm").call(listCases, {
        query: { customerId: boundCustomer(), state },
      })).map(withCustomerId),
  }),
  onOwnedLine({
    name: "vas.purchase_for_me",
    description: "Buy a top-up or pass on one of your subscriptions; charges your card",
    class: "create",
    operator: "subscription.purchase_vas",
  }, { vas_offering_id: VasOfferingId }),
  defineTool({
    name: "case.open_for_me",
    description: "Escalate to a person: open a support case (with this chat's transcript)",
    class: "create",
    profiles: CUSTOMER,
    args: z.object({
      category: z.enum(ESCALATION_CATEGORIES),
      subject: z.string().trim().min(1).max(200),
      description: z.string().trim().min(1).max(9_900),
    }),
    run: async ({ category, subject, description }, ctx) => {
      const customerId = boundCustomer();
      const opened = await ctx.client("crm").call(openCase, {
        body: {
          customer_id: customerId,
          subject,
          description: `[${category}] ${description}`,
          ...ESCALATION[category],
          escalation_category: category,
          chat_transcript_hash: await storedTranscript(ctx, customerId),
        },
      });
      return withCustomerId(opened);
    },
  }),
  onOwnedLine({
    name: "subscription.schedule_plan_change_mine",
    description: "Switch one of your subscriptions to another plan at its next renewal",
    class: "update",
    operator: "subscription.schedule_plan_change",
  }, { new_offering_id: NewOfferingId }),
  onOwnedLine({
    name: "subscription.cancel_pending_plan_change_mine",
    description: "Drop the plan change scheduled on one of your subscriptions",
    class: "update",
    operator: "subscription.cancel_pending_plan_change",
  }),
  defineTool({
    name: "subscription.terminate_mine",
    description: "Terminate one of your subscriptions: the number and eSIM are released",
    class: "destructive",
    profiles: CUSTOMER,
    args: z.object({ subscription_id: MySubscriptionId }),
    run: async ({ subscription_id }, ctx) => {
      await ownedSubscription(ctx, subscription_id);
      return withReferenceBalances(
        await ctx.client("subscription").call(terminateSubscription, {
          params: { id: subscription_id },
          body: { reason: "customer_chat" },
        }),
      );
    },
  }),
];
