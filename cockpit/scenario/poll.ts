/**
 * The poll loop of assert, http and file steps (docs/cockpit.md §9.1 `poll{interval_ms,
 * timeout_seconds}`): try, and while the check fails and the deadline has not passed, wait
 * and try again. Without poll settings a step is tried once.
 *
 * @module
 */

/** How a step re-checks. */
export interface PollSettings {
  interval_ms: number;
  timeout_seconds: number;
}

/** One try: the value it produced, and the failures found (none: the step holds). */
export interface Attempt<T> {
  value: T;
  failures: string[];
}

/** The first passing attempt, or the last one when the deadline passes first. */
export async function poll<T>(
  settings: PollSettings | undefined,
  attempt: () => Promise<Attempt<T>>,
): Promise<Attempt<T>> {
  const deadline = Date.now() + (settings ? settings.timeout_seconds * 1000 : 0);
  while (true) {
    const result = await attempt();
    if (result.failures.length === 0 || !settings || Date.now() >= deadline) return result;
    await new Promise((r) => setTimeout(r, settings.interval_ms));
  }
}
