/**
 * The subscription actor (kind `subscription`, service `subscription`): every write on a
 * subscription — create, usage decrement, top-up, renewal, plan change, termination — is a
 * message handled in turn, in one transaction with its events and its timers.
 *
 * @module
 */
import { IO_BOUND } from "../runtime/drain_profiles.ts";
import type { ActorKind } from "../runtime/types.ts";
import { activationOutcome, compensationOutcome, createSubscription } from "./activation.ts";
import { SubscriptionMessage } from "./messages.ts";
import { cancelPlanChange, schedulePlanChange, schedulePriceMigration } from "./plan_change.ts";
import { refundOutcome } from "./refunds.ts";
import { reminderDue, renewalCharged, renewalDue, renewNow } from "./renewal.ts";
import { findSubscription } from "./rows.ts";
import { lineFreed, terminate } from "./termination.ts";
import type { SubscriptionPorts } from "./ports.ts";
import { applyUsage } from "./usage.ts";
import { endUnlimitedDay, purchaseVas, vasCharged } from "./vas.ts";

/** The subscription kind, reaching the other services through `ports()`. */
export function subscriptionKind(ports: () => SubscriptionPorts): ActorKind<SubscriptionMessage> {
  return {
    kind: "subscription",
    service: "subscription",
    // No handler calls another service any more (charges, binding and line release are
    // effects), but creates, top-ups and renewals are asked by callers who wait: several loops
    // and small batches keep an ask from queueing behind a long batch.
    ...IO_BOUND,
    parse: (body) => SubscriptionMessage.parse(body),
    handle(turn, m) {
      const ctx = { turn, ports: ports() };
      switch (m.type) {
        case "create":
          return createSubscription(ctx, m);
        case "activation_outcome":
          return activationOutcome(ctx, m);
        case "compensation_outcome":
          return compensationOutcome(ctx, m);
        case "usage_rated":
          return applyUsage(ctx, m);
        case "vas_purchase":
          return purchaseVas(ctx, m);
        case "vas_charged":
          return vasCharged(ctx, m);
        case "renewal_charged":
          return renewalCharged(ctx, m);
        case "refund_outcome":
          return refundOutcome(ctx, m);
        case "unlimited_expired":
          return endUnlimitedDay(ctx, m);
        case "renew":
          return renewNow(ctx);
        case "renewal_due":
          return renewalDue(ctx, m);
        case "reminder_due":
          return reminderDue(ctx, m);
        case "schedule_plan_change":
          return schedulePlanChange(ctx, m);
        case "cancel_plan_change":
          return cancelPlanChange(ctx);
        case "price_migration":
          return schedulePriceMigration(ctx, m);
        case "terminate":
          return terminate(ctx, m);
        case "line_freed":
          return lineFreed(ctx, m);
      }
    },
    state: (sql, key) => findSubscription(sql, key),
  };
}
