/**
 * The subscription state machine (docs/domain.md §3): which trigger moves which state where, and the
 * move itself: state, reason and a history row, in the actor's transaction.
 *
 * @module
 */
import { PolicyViolation } from "../../kernel/errors.ts";
import type { Turn } from "../runtime/types.ts";
import type { SubscriptionRow } from "./rows.ts";

type State = SubscriptionRow["state"];

/** Every trigger with the states it leaves from and the state it reaches (docs/STATE_MACHINES.md). */
export const SUBSCRIPTION_MOVES = {
  activate: { from: ["pending"], to: "active" },
  exhaust: { from: ["active"], to: "blocked" },
  top_up: { from: ["blocked", "active"], to: "active" },
  renew: { from: ["active", "blocked"], to: "active" },
  renew_fail: { from: ["active", "blocked"], to: "blocked" },
  terminate: { from: ["active", "blocked"], to: "terminated" },
} as const satisfies Record<string, { from: readonly State[]; to: State }>;

/** A trigger of the machine. */
export type Trigger = keyof typeof SUBSCRIPTION_MOVES;

/** Whether `trigger` is legal from `state`. */
export function canFire(state: State, trigger: Trigger): boolean {
  return (SUBSCRIPTION_MOVES[trigger].from as readonly State[]).includes(state);
}

/**
 * Fires `trigger` on the actor's subscription (`subscription.transition.invalid` when illegal):
 * sets state and reason and appends history. Returns the new state.
 */
export async function fire(
  turn: Turn,
  sub: Pick<SubscriptionRow, "id" | "state">,
  trigger: Trigger,
  reason: string,
): Promise<State> {
  if (!canFire(sub.state, trigger)) {
    throw new PolicyViolation(
      "subscription.transition.invalid",
      `cannot ${trigger} a ${sub.state} subscription`,
      { state: sub.state, trigger },
    );
  }
  const to = SUBSCRIPTION_MOVES[trigger].to;
  const now = turn.now();
  // Both statements go out at once (one round trip).
  await Promise.all([
    turn.sql`
      update subscription.subscription
      set state = ${to}, state_reason = ${reason}, updated_at = now()
      where id = ${sub.id}`,
    turn.sql`
      insert into subscription.subscription_state_history
        (subscription_id, from_state, to_state, changed_by, reason, event_time)
      values (${sub.id}, ${sub.state}, ${to}, 'system', ${reason}, ${now})`,
  ]);
  return to;
}

/** Stages a `subscription.*` event on the subscription aggregate. */
export function emitSubscriptionEvent(
  turn: Turn,
  type: string,
  payload: Record<string, unknown>,
): void {
  turn.emit({ type, aggregateType: "subscription", aggregateId: turn.key, payload });
}
