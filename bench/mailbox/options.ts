/**
 * Command-line options of `deno task bench mailbox`. Options that take a list (`1,2,4`) are
 * swept: every combination drains the backlog, and the fastest also runs the latency phase.
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { Load } from "./phases.ts";

/** The settings of one run. */
export interface MailboxOptions extends Load {
  /** bss worker processes. */
  processes: number[];
  /** bss drain loops per process (RuntimeOptions.workers). */
  workers: number[];
  /** RuntimeOptions.batchActors. */
  batchActors: number[];
  /** RuntimeOptions.batchPerActor. */
  batchPerActor: number[];
  /** graphile-worker concurrency (one process). */
  graphileConcurrency: number[];
  /** graphile-worker localQueue size; 0 = off. */
  graphileLocalQueue: number[];
}

/** What `--help` prints. */
export const MAILBOX_USAGE = `deno task bench mailbox [options]

  --messages N            backlog size (default 100000)
  --actors N              actors / graphile queues (default 1000)
  --processes P[,P…]      bss worker processes (default 1,2)
  --workers W[,W…]        bss drain loops per process (default 1,2)
  --batch-actors N[,N…]   bss RuntimeOptions.batchActors (default 128)
  --batch-per-actor N[,…] bss RuntimeOptions.batchPerActor (default 32)
  --graphile-concurrency C[,C…]  graphile-worker concurrency (default 10)
  --graphile-local-queue Q[,Q…]  graphile-worker localQueue size, 0 = off (default 0,100,200)
  --rate R                latency phase: messages per second (default 300)
  --seconds S             latency phase: duration (default 8)
  --max-drain-seconds S   cut a drain short after S seconds (default 15)
  --chunk N               messages per bulk enqueue call (default 1000: one per actor)

A list sweeps its option: each combination drains the backlog; the fastest runs the latency
phase.`;

/** A bad command line. */
export class UsageError extends Error {
  override name = "UsageError";
}

const DEFAULTS: Record<string, string> = {
  messages: "100000",
  actors: "1000",
  processes: "1,2",
  workers: "1,2",
  "batch-actors": "128",
  "batch-per-actor": "32",
  "graphile-concurrency": "10",
  "graphile-local-queue": "0,100,200",
  rate: "300",
  seconds: "8",
  "max-drain-seconds": "15",
  chunk: "1000",
};

function list(name: string, text: string, min: number): number[] {
  const values = text.split(",").map(Number);
  if (values.some((v) => !Number.isInteger(v) || v < min)) {
    throw new UsageError(`--${name} takes integers >= ${min}, got "${text}"`);
  }
  return values;
}

function one(name: string, text: string): number {
  const [value, ...more] = list(name, text, 1);
  if (more.length) throw new UsageError(`--${name} takes one value, got "${text}"`);
  return value;
}

/** Parses the command line (after the bench name); throws UsageError on a bad one. */
export function parseMailboxArgs(args: string[]): MailboxOptions {
  const options = Object.fromEntries(
    Object.keys(DEFAULTS).map((k) => [k, { type: "string" as const }]),
  );
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({ args, options, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const v = (k: string) => values[k] ?? DEFAULTS[k];
  return {
    messages: one("messages", v("messages")),
    actors: one("actors", v("actors")),
    chunk: one("chunk", v("chunk")),
    rate: one("rate", v("rate")),
    seconds: one("seconds", v("seconds")),
    maxDrainSeconds: one("max-drain-seconds", v("max-drain-seconds")),
    processes: list("processes", v("processes"), 1),
    workers: list("workers", v("workers"), 1),
    batchActors: list("batch-actors", v("batch-actors"), 1),
    batchPerActor: list("batch-per-actor", v("batch-per-actor"), 1),
    graphileConcurrency: list("graphile-concurrency", v("graphile-concurrency"), 1),
    graphileLocalQueue: list("graphile-local-queue", v("graphile-local-queue"), 0),
  };
}
