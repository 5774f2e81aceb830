/**
 * The outcome of a refund staged for a charge that could not be applied
 * (`charge_effects.ts`): recorded as an event either way, so the undo is on the audit trail.
 *
 * @module
 */
import { log } from "../../kernel/log.ts";
import type { Ctx } from "./context.ts";
import { emitSubscriptionEvent } from "./machine.ts";
import type { MessageOf } from "./messages.ts";

/** Records the refund (or its failure) of the charge keyed `refund:<charge key>`. */
export function refundOutcome({ turn }: Ctx, m: MessageOf<"refund_outcome">): void {
  const chargeKey = m.effectKey.replace(/^refund:/, "");
  if (m.outcome.ok) {
    const refunded = (m.outcome.value as { refunded?: unknown } | null)?.refunded ?? null;
    emitSubscriptionEvent(turn, "subscription.charge_refunded", {
      subscriptionId: turn.key,
      chargeKey,
      paymentAttemptId: refunded,
    });
    return;
  }
  log.error("subscription.refund_failed", { id: turn.key, chargeKey, outcome: m.outcome });
  emitSubscriptionEvent(turn, "subscription.compensation_failed", {
    subscriptionId: turn.key,
    error: m.outcome.error ?? m.outcome.refusal?.message ?? null,
  });
}
