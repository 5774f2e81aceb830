/**
 * Process-wide wake-ups for mail written outside any actor system's own commits (an effect's
 * outcome, reported by the effect runner): the systems of this process wake their loops of
 * that kind at once instead of waiting for the `bss_mailbox` notification's round through the
 * database (which still reaches every other process).
 *
 * @module
 */
const systems = new Set<(kind: string) => void>();

/** Registers `wake` (an actor system's) until the returned function is called. */
export function onLocalWake(wake: (kind: string) => void): () => void {
  systems.add(wake);
  return () => void systems.delete(wake);
}

/** Wakes this process's loops of `kind`, if any system here hosts it. */
export function wakeLocally(kind: string): void {
  for (const wake of systems) wake(kind);
}
