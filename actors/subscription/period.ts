/**
 * Billing periods: 30 days, anchored at the previous period's end (docs/decisions.md: no drift).
 *
 * @module
 */

/** The length of a period. */
export const PERIOD_MS = 30 * 24 * 3600 * 1000;

/** A billing period. */
export interface Period {
  start: Date;
  end: Date;
}

/** The first period: from activation. */
export function firstPeriod(now: Date): Period {
  return { start: now, end: new Date(now.getTime() + PERIOD_MS) };
}

/**
 * The period a renewal at `now` buys. At or after the boundary it starts on the latest
 * boundary not after `now` (a late run or a line renewed after a decline keeps its anchor);
 * a renewal before the boundary (a manual one) starts now.
 */
export function nextPeriod(previousEnd: Date | null, now: Date): Period {
  if (!previousEnd || now < previousEnd) return firstPeriod(now);
  const missed = Math.floor((now.getTime() - previousEnd.getTime()) / PERIOD_MS);
  const start = new Date(previousEnd.getTime() + missed * PERIOD_MS);
  return { start, end: new Date(start.getTime() + PERIOD_MS) };
}
