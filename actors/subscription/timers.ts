/**
 * The BSS-clock timers of a period: the renewal at its boundary and the reminder a day
 * before. Each carries its boundary, so a timer of a period already renewed is a no-op.
 *
 * @module
 */
import type { CallerContext } from "../../kernel/context.ts";
import type { Turn } from "../runtime/types.ts";

/** How long before a renewal its reminder goes out. */
export const REMINDER_LEAD_MS = 24 * 3600 * 1000;

/**
 * The renewal worker's attribution (`system:renewal_worker` on channel `system`), keeping the
 * service identity and tenant of `from`: renewals are the system's doing, not the arming caller's.
 */
export function renewalWorker(from: CallerContext): CallerContext {
  return { ...from, actor: "system:renewal_worker", channel: "system" };
}

/** Arms the timers of a period boundary: the renewal itself and its reminder a day before. */
export function armRenewalTimers(turn: Turn, boundary: Date): void {
  const at = boundary.toISOString();
  const as = renewalWorker(turn.caller);
  turn.tell("subscription", turn.key, { type: "renewal_due", boundary: at }, {
    deliverAt: boundary,
    as,
  });
  turn.tell("subscription", turn.key, { type: "reminder_due", boundary: at }, {
    deliverAt: new Date(boundary.getTime() - REMINDER_LEAD_MS),
    as,
  });
}
