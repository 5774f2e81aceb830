/**
 * Termination (docs/flows.md §4, 00): from active or blocked; the MSISDN goes to its 90-day
 * quarantine (unless kept, as on port-out) and the eSIM is recycled. The turn ends the line and
 * stages the release (`subscription.free_line`, keyed on the subscription) for the effect
 * runner: it waits on no other service. The terminate endpoint answers once it is done.
 *
 * @module
 */
import { z } from "zod";
import type { Sql } from "../../kernel/db/types.ts";
import { log } from "../../kernel/log.ts";
import { stageEffect } from "../effects/effect.ts";
import type { EffectHandler } from "../effects/runner.ts";
import { type Ctx, requireSubscription } from "./context.ts";
import { emitSubscriptionEvent, fire } from "./machine.ts";
import type { MessageOf } from "./messages.ts";
import { assertTerminable } from "./policies.ts";
import type { SubscriptionPorts } from "./ports.ts";
import { awaitSettled } from "./settled.ts";

const FreeLine = z.object({ msisdn: z.string(), iccid: z.string(), releaseMsisdn: z.boolean() });

/** The release's key: one per subscription (a line is terminated once). */
const freeLineKey = (subscriptionId: string) => `free-line:${subscriptionId}`;

/** Terminates the actor's subscription and stages the release of its line. */
export async function terminate({ turn }: Ctx, m: MessageOf<"terminate">): Promise<void> {
  const sub = await requireSubscription(turn);
  assertTerminable(sub);
  const now = turn.now();
  await fire(turn, sub, "terminate", m.reason);
  // A terminated line has no period left to renew or remind about.
  await turn.cancelTimers("renewal_due", "reminder_due");
  await turn.sql`
    update subscription.subscription set terminated_at = ${now}, unlimited_data_until = null
    where id = ${sub.id}`;
  await stageEffect(turn, {
    type: "subscription.free_line",
    key: freeLineKey(sub.id),
    input: { msisdn: sub.msisdn, iccid: sub.iccid, releaseMsisdn: m.releaseInventory },
    replyType: "line_freed",
  });
  emitSubscriptionEvent(turn, "subscription.terminated", {
    subscriptionId: sub.id,
    customerId: sub.customer_id,
    msisdn: sub.msisdn,
    iccid: sub.iccid,
    terminatedAt: now.toISOString(),
    reason: m.reason,
  });
}

/** The release's outcome: nothing to do when done; a failure past its retries is logged. */
export function lineFreed({ turn }: Ctx, m: MessageOf<"line_freed">): void {
  if (m.outcome.ok) return;
  log.error("subscription.free_line_failed", { id: turn.key, outcome: m.outcome });
}

/** Waits until the line of terminated `subscriptionId` is released (its effect is done). */
export function awaitLineFreed(sql: Sql, subscriptionId: string, timeoutMs: number) {
  return awaitSettled(
    async () => {
      const [row] = await sql<{ state: string }[]>`
        select state from effect.effect where idempotency_key = ${freeLineKey(subscriptionId)}`;
      // Terminated before the release was an effect: nothing to wait for.
      return { state: row?.state === "pending" ? "running" : "done", refusal: null };
    },
    `the release of the line of ${subscriptionId}`,
    timeoutMs,
  );
}

/** The release effect over `ports` (its calls log their failures and never throw). */
export function terminationEffects(ports: () => SubscriptionPorts): Record<string, EffectHandler> {
  return {
    "subscription.free_line": async (input) => {
      await ports().freeLine(FreeLine.parse(input));
      return null;
    },
  };
}
