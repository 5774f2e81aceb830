/**
 * A contest between configurations of one queue: each drains the backlog, the fastest then
 * runs the latency phase.
 *
 * @module
 */
import type { Queue } from "./engine.ts";
import {
  drain,
  type DrainResult,
  latency,
  type LatencyResult,
  type Load,
  type Setup,
} from "./phases.ts";

/** One configuration a queue was drained with. */
export interface Trial {
  config: string;
  drain: DrainResult;
}

/** A queue's results: every trial, and the latency of the fastest. */
export interface Contender {
  name: string;
  trials: Trial[];
  best: Trial;
  latency: LatencyResult;
}

/** The results of a run: bss, graphile unordered, graphile ordered. */
export interface MailboxResult {
  bss: Contender;
  graphileUnordered: Contender;
  graphileOrdered: Contender;
}

/** Every combination of the values of `lists`. */
export function grid<K extends string>(lists: Record<K, number[]>): Record<K, number>[] {
  return (Object.entries(lists) as [K, number[]][]).reduce<Record<K, number>[]>(
    (acc, [key, values]) => acc.flatMap((row) => values.map((v) => ({ ...row, [key]: v }))),
    [{} as Record<K, number>],
  );
}

/** Drains with each candidate setup, then measures the latency of the fastest. */
export async function contend(
  name: string,
  queue: Queue,
  candidates: { config: string; setup: Omit<Setup, "queue" | "label"> }[],
  load: Load,
): Promise<Contender> {
  console.error(`${name}:`);
  try {
    const setups = candidates.map((c) => ({ ...c.setup, queue, label: `${name} [${c.config}]` }));
    const trials: Trial[] = [];
    for (const [i, c] of candidates.entries()) {
      trials.push({ config: c.config, drain: await drain(setups[i], load) });
    }
    const fastest = trials.reduce((b, t, i) => (t.drain.perS > trials[b].drain.perS ? i : b), 0);
    return { name, trials, best: trials[fastest], latency: await latency(setups[fastest], load) };
  } finally {
    await queue.close();
  }
}
