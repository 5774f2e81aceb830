/**
 * The report of a mailbox run: the table, the notes under it and the closing JSON line.
 *
 * @module
 */
import { fmt } from "../lib/stats.ts";
import { table } from "../lib/table.ts";
import type { Contender, MailboxResult } from "./contest.ts";
import { GRAPHILE_SCHEMA } from "./graphile.ts";
import type { MailboxOptions } from "./options.ts";

const ms = (n: number) => Math.round(n * 100) / 100;

/** The table of a run. */
export function renderMailbox(r: MailboxResult): string {
  const rows = [r.bss, r.graphileUnordered, r.graphileOrdered].flatMap((c) =>
    c.trials.map((t) => {
      const best = t === c.best;
      const d = t.drain;
      return [
        best ? `${c.name} *` : c.name,
        t.config,
        fmt(d.enqueuePerS),
        fmt(d.perS) + (d.capped ? ` (${fmt(d.handled)} in cap)` : ""),
        best ? fmt(c.latency.sentPerS) : "",
        best ? fmt(c.latency.p50, 1) : "",
        best ? fmt(c.latency.p99, 1) : "",
        fmt(d.violations + (best ? c.latency.violations : 0)),
      ];
    })
  );
  return table(
    [
      "queue",
      "config",
      "bulk enqueue/s",
      "drain msgs/s",
      "sent/s",
      "p50 ms",
      "p99 ms",
      "FIFO violations",
    ],
    rows,
  );
}

/** FIFO violations over every phase of a contender. */
const violations = (c: Contender) =>
  c.trials.reduce((n, t) => n + t.drain.violations, c.latency.violations);

/** The one JSON line a run ends with. */
export function summary(r: MailboxResult): Record<string, number | string> {
  return {
    bss_msgs_per_s: r.bss.best.drain.perS,
    graphile_ordered_jobs_per_s: r.graphileOrdered.best.drain.perS,
    graphile_unordered_jobs_per_s: r.graphileUnordered.best.drain.perS,
    bss_p99_ms: ms(r.bss.latency.p99),
    graphile_p99_ms: ms(r.graphileOrdered.latency.p99),
    bss_p50_ms: ms(r.bss.latency.p50),
    graphile_ordered_p50_ms: ms(r.graphileOrdered.latency.p50),
    graphile_unordered_p50_ms: ms(r.graphileUnordered.latency.p50),
    graphile_unordered_p99_ms: ms(r.graphileUnordered.latency.p99),
    bss_fifo_violations: violations(r.bss),
    graphile_ordered_fifo_violations: violations(r.graphileOrdered),
    graphile_unordered_fifo_violations: violations(r.graphileUnordered),
    bss_config: r.bss.best.config,
    graphile_ordered_config: r.graphileOrdered.best.config,
    graphile_unordered_config: r.graphileUnordered.best.config,
  };
}

/** The lines under the table: what the marks mean, and any phase that was not clean. */
export function notes(r: MailboxResult, o: MailboxOptions): string[] {
  const lines = [
    "* = fastest config; the latency phase ran with it. bss config = processes×workers, " +
    "batch = batchActors×batchPerActor (other RuntimeOptions at their defaults).",
    "graphile-worker runs in Deno from npm, unmodified (its own pg pool, from connectionString), " +
    `in schema ${GRAPHILE_SCHEMA} installed by runMigrations; localQueue > 0 also sets ` +
    "completeJobBatchDelay 0 (batched completion).",
    "FIFO violations: per-actor sequence numbers that went backwards, as each worker process's " +
    "handler saw them; graphile unordered promises no per-actor order at all.",
  ];
  for (const c of [r.bss, r.graphileUnordered, r.graphileOrdered]) {
    if (c.latency.sentPerS < 0.95 * o.rate) {
      lines.push(
        `! ${c.name}: sending fell behind ${fmt(o.rate)}/s; its latency includes queueing.`,
      );
    }
    if (c.trials.some((t) => t.drain.capped)) {
      lines.push(`! ${c.name}: a drain was cut short after ${o.maxDrainSeconds} s (rate so far).`);
    }
  }
  if (violations(r.graphileOrdered)) {
    lines.push(
      "! graphile ordered: jobs of one queue added by the same addJobs call share run_at, and " +
        "graphile orders a queue by (priority, run_at) only; use --chunk <= --actors.",
    );
  }
  return lines;
}
