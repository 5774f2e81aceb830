/**
 * Subscription and usage tools (docs/cockpit.md §4.2 subscription.*, usage.*).
 *
 * @module
 */
import { z } from "zod";
import type { BundleBalance } from "../http/subscription/schemas.ts";
import { USAGE_UNITS } from "../actors/mediation/model.ts";
import { clockNow } from "../http/admin/clock.ts";
import { auditEvents } from "../http/audit/events.ts";
import { esimActivationRoute, getEsimRoute } from "../http/inventory/esim.ts";
import { listUsageRoute, recordUsageRoute } from "../http/mediation/usage.ts";
import {
  cancelPlanChange,
  getSubscription,
  getSubscriptionBalance,
  listSubscriptions,
  migratePrice,
  purchaseVas,
  renewSubscription,
  schedulePlanChange,
  terminateSubscription,
  tickRenewals,
} from "../http/subscription/routes.ts";
import {
  CustomerId,
  idOf,
  Instant,
  limit,
  Msisdn,
  OfferingId,
  SubscriptionId,
  UsageEventType,
  VasOfferingId,
} from "./args.ts";
import { defineTool, OPERATOR, type Tool, type ToolContext } from "./tool.ts";

/** A bundle balance as the subscription service answers it. */
type Balance = z.output<typeof BundleBalance>;

/**
 * A balance with the reference tool's names beside ours: `type` and `used`, and `total` null
 * for unlimited where the service says -1 (docs/cockpit.md §4.2).
 */
function referenceBalance(b: Balance) {
  return { ...b, type: b.allowanceType, used: b.consumed, total: b.total < 0 ? null : b.total };
}

/** A subscription whose balances carry the reference's fields (see `referenceBalance`). */
export function withReferenceBalances<S extends { balances: Balance[] }>(sub: S) {
  return { ...sub, balances: sub.balances.map(referenceBalance) };
}

const RATING_WAIT_MS = 5000;

/**
 * How rating answered a usage event: its `usage.rated` (allowance, quantity, charge) or
 * `usage.rejected` (reason) event, waited for briefly — rating runs on the event, after the
 * record is stored — else `pending`.
 */
async function ratingOf(usageId: string, ctx: ToolContext) {
  const deadline = Date.now() + RATING_WAIT_MS;
  for (;;) {
    const { events } = await ctx.client("crm").call(auditEvents, {
      query: { aggregateType: "usage", aggregateId: usageId, limit: 10 },
    });
    const outcome = events.find((e) =>
      e.eventType === "usage.rated" || e.eventType === "usage.rejected"
    );
    if (outcome) return { outcome: outcome.eventType.slice("usage.".length), ...outcome.payload };
    if (Date.now() > deadline) return { outcome: "pending" };
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The subscription tools. */
export const subscriptionTools: Tool[] = [
  defineTool({
    name: "subscription.get",
    description: "One subscription: state, plan, MSISDN, ICCID, balances, next renewal",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ subscription_id: SubscriptionId }),
    run: ({ subscription_id }, ctx) =>
      ctx.client("subscription").call(getSubscription, { params: { id: subscription_id } })
        .then(withReferenceBalances),
  }),
  defineTool({
    name: "subscription.list_for_customer",
    description: "A customer's subscriptions",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ customer_id: CustomerId }),
    run: async ({ customer_id }, ctx) =>
      (await ctx.client("subscription").call(listSubscriptions, {
        query: { customerId: customer_id },
      })).map(withReferenceBalances),
  }),
  defineTool({
    name: "subscription.get_balance",
    description: "A subscription's remaining allowances, one row per allowance type",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ subscription_id: SubscriptionId }),
    run: async ({ subscription_id }, ctx) => {
      const balances = await ctx.client("subscription").call(getSubscriptionBalance, {
        params: { id: subscription_id },
      });
      return balances.map(referenceBalance);
    },
  }),
  defineTool({
    name: "subscription.get_esim_activation",
    description: "The LPA activation code of a subscription's eSIM",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ subscription_id: SubscriptionId }),
    run: async ({ subscription_id }, ctx) => {
      const line = await ctx.client("subscription").call(getSubscription, {
        params: { id: subscription_id },
      });
      const params = { iccid: line.iccid };
      const [esim, activation] = await Promise.all([
        ctx.client("crm").call(getEsimRoute, { params }),
        ctx.client("crm").call(esimActivationRoute, { params }),
      ]);
      return {
        subscriptionId: line.id,
        iccid: line.iccid,
        imsi: esim.imsi,
        activationCode: activation.activation_code,
        msisdn: line.msisdn,
        // Beyond the reference: where the profile is in its life (reserved … activated).
        profileState: esim.profile_state,
      };
    },
  }),
  defineTool({
    name: "subscription.purchase_vas",
    description: "Buy a value-added service (top-up) on a subscription; charges the card",
    class: "create",
    profiles: OPERATOR,
    args: z.object({ subscription_id: SubscriptionId, vas_offering_id: VasOfferingId }),
    run: ({ subscription_id, vas_offering_id }, ctx) =>
      ctx.client("subscription").call(purchaseVas, {
        params: { id: subscription_id },
        body: { vasOfferingId: vas_offering_id },
      }).then(withReferenceBalances),
  }),
  defineTool({
    name: "subscription.terminate",
    description: "Terminate a subscription: the number is quarantined, the eSIM recycled",
    class: "destructive",
    profiles: OPERATOR,
    args: z.object({ subscription_id: SubscriptionId }),
    run: ({ subscription_id }, ctx) =>
      ctx.client("subscription").call(terminateSubscription, {
        params: { id: subscription_id },
      }).then(withReferenceBalances),
  }),
  defineTool({
    name: "subscription.renew_now",
    description: "Renew a subscription now (charges the card; a decline blocks it)",
    class: "update",
    profiles: OPERATOR,
    args: z.object({ subscription_id: SubscriptionId }),
    run: ({ subscription_id }, ctx) =>
      ctx.client("subscription").call(renewSubscription, { params: { id: subscription_id } })
        .then(withReferenceBalances),
  }),
  defineTool({
    name: "subscription.schedule_plan_change",
    description: "Switch plans at the next renewal",
    class: "update",
    profiles: OPERATOR,
    args: z.object({ subscription_id: SubscriptionId, new_offering_id: OfferingId }),
    run: ({ subscription_id, new_offering_id }, ctx) =>
      ctx.client("subscription").call(schedulePlanChange, {
        params: { id: subscription_id },
        body: { newOfferingId: new_offering_id },
      }).then(withReferenceBalances),
  }),
  defineTool({
    name: "subscription.cancel_pending_plan_change",
    description: "Drop a scheduled plan change",
    class: "update",
    profiles: OPERATOR,
    args: z.object({ subscription_id: SubscriptionId }),
    run: ({ subscription_id }, ctx) =>
      ctx.client("subscription").call(cancelPlanChange, { params: { id: subscription_id } })
        .then(withReferenceBalances),
  }),
  defineTool({
    name: "subscription.tick_renewals_now",
    description: "Run the renewal sweep now (renews every subscription that is due)",
    class: "admin",
    profiles: OPERATOR,
    args: z.object({}),
    run: (_, ctx) => ctx.client("subscription").call(tickRenewals),
  }),
  defineTool({
    name: "subscription.migrate_to_new_price",
    description: "Move a plan's subscribers to a new price from a date, with notice",
    class: "update",
    profiles: OPERATOR,
    hidden: true,
    args: z.object({
      offering_id: OfferingId,
      new_price_id: idOf("PRICE_…", "catalog.get_offering"),
      effective_from: Instant,
      notice_days: z.number().int().min(0).max(365).default(30),
      initiated_by: z.string().trim().min(1).max(100).default("ops"),
    }),
    run: (a, ctx) =>
      ctx.client("subscription").call(migratePrice, {
        body: {
          offeringId: a.offering_id,
          newPriceId: a.new_price_id,
          effectiveFrom: a.effective_from,
          noticeDays: a.notice_days,
          initiatedBy: a.initiated_by,
        },
      }),
  }),
];

/** The usage tools. */
export const usageTools: Tool[] = [
  defineTool({
    name: "usage.simulate",
    description: "Record a usage event for a number as the network would; answers with " +
      "rating's outcome (rated, rejected, or pending after 5 s)",
    class: "create",
    profiles: OPERATOR,
    hidden: true,
    args: z.object({
      msisdn: Msisdn,
      event_type: UsageEventType,
      quantity: z.number().int().min(0),
      unit: z.enum(USAGE_UNITS),
      event_time: Instant.optional(),
      roaming_indicator: z.boolean().default(false),
    }),
    run: async (a, ctx) => {
      const mediation = ctx.client("mediation");
      // The event happens "now" on the BSS clock, which may be frozen or advanced.
      const eventTime = a.event_time ?? (await mediation.call(clockNow)).now;
      const usage = await mediation.call(recordUsageRoute, {
        body: {
          msisdn: a.msisdn,
          eventType: a.event_type,
          eventTime,
          quantity: a.quantity,
          unit: a.unit,
          roamingIndicator: a.roaming_indicator,
        },
      });
      return { ...usage, rating: await ratingOf(usage.id, ctx) };
    },
  }),
  defineTool({
    name: "usage.history",
    description: "Usage events by subscription or number, newest first",
    class: "read",
    profiles: OPERATOR,
    args: z.object({
      subscription_id: SubscriptionId.optional(),
      msisdn: Msisdn.optional(),
      event_type: UsageEventType.optional(),
      since: Instant.optional(),
      limit: limit(100),
    }),
    run: (a, ctx) =>
      ctx.client("mediation").call(listUsageRoute, {
        query: {
          subscriptionId: a.subscription_id,
          msisdn: a.msisdn,
          type: a.event_type,
          since: a.since,
          limit: a.limit,
        },
      }),
  }),
];
