/**
 * Process-wide hooks for mail sent outside any actor system's own commits (an effect's
 * outcome, reported by the effect runner): the system of this process that hosts the kind
 * runs the message's turn at once when its actor is idle, or wakes its loops of that kind at
 * once instead of waiting for the `bss_mailbox` notification's round through the database
 * (which still reaches every other process).
 *
 * @module
 */
import type { Envelope } from "./types.ts";
import type { RanAlone, RunOptions } from "./worker.ts";

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

type Run = (
  kind: string,
  key: string,
  message: Envelope,
  context: Record<string, string | undefined>,
  options?: RunOptions,
) => Promise<RanAlone> | undefined;

const runners = new Set<Run>();

/** Registers `run` (an actor system's; `undefined` for a kind it does not host). */
export function onLocalRun(run: Run): () => void {
  runners.add(run);
  return () => void runners.delete(run);
}

/**
 * Runs a message's turn at once in the system of this process that hosts its kind (see
 * `Worker.runAlone`); `mailbox` when none does or the actor is not idle.
 */
export async function runLocally(...args: Parameters<Run>): Promise<RanAlone> {
  for (const run of runners) {
    const ran = run(...args);
    if (ran) return await ran;
  }
  return { outcome: "mailbox" };
}
