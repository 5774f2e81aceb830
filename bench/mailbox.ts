/**
 * `deno task bench mailbox`: the bss actor runtime's mailboxes against graphile-worker on the
 * same Postgres, in the same run. For each queue: a backlog of `--messages` over `--actors`
 * enqueued in bulk and drained by fresh worker processes (throughput, per-actor FIFO checked
 * in the handlers), then a steady stream of single sends (enqueue→handled latency).
 * graphile-worker runs twice: unordered (no queue name) and ordered (one named queue per
 * actor, its serial mode). Prints a table, then one JSON line.
 *
 * @module
 */
import type { Pool } from "../kernel/db/types.ts";
import { openBenchDatabase } from "./lib/database.ts";
import { fmt } from "./lib/stats.ts";
import { bssQueue } from "./mailbox/bss.ts";
import { contend, grid, type MailboxResult } from "./mailbox/contest.ts";
import { GRAPHILE_SCHEMA, graphileQueue } from "./mailbox/graphile.ts";
import {
  MAILBOX_USAGE,
  type MailboxOptions,
  parseMailboxArgs,
  UsageError,
} from "./mailbox/options.ts";
import { notes, renderMailbox, summary } from "./mailbox/report.ts";

/** Runs the whole comparison on the database at `url` (reached through `sql`). */
export async function runMailboxBench(
  db: { url: string; sql: Pool },
  o: MailboxOptions,
): Promise<MailboxResult> {
  const bssGrid = grid({
    processes: o.processes,
    workers: o.workers,
    batchActors: o.batchActors,
    batchPerActor: o.batchPerActor,
  });
  const bss = await contend(
    "bss",
    bssQueue(db.sql),
    bssGrid.map(({ processes, ...runtime }) => ({
      config: `${processes}×${runtime.workers} workers, batch ${runtime.batchActors}×` +
        `${runtime.batchPerActor}`,
      setup: { processes, consumer: { engine: "bss", url: db.url, runtime } },
    })),
    o,
  );
  const graphileGrid = grid({
    concurrency: o.graphileConcurrency,
    localQueue: o.graphileLocalQueue,
  });
  const graphile = (ordered: boolean) =>
    contend(
      `graphile ${ordered ? "ordered" : "unordered"}`,
      graphileQueue(db.sql, db.url, ordered),
      graphileGrid.map(({ concurrency, localQueue }) => ({
        config: `concurrency ${concurrency}, localQueue ${localQueue || "off"}`,
        setup: {
          processes: 1,
          consumer: {
            engine: "graphile",
            url: db.url,
            schema: GRAPHILE_SCHEMA,
            concurrency,
            localQueue,
          },
        },
      })),
      o,
    );
  const graphileUnordered = await graphile(false);
  const graphileOrdered = await graphile(true);
  return { bss, graphileUnordered, graphileOrdered };
}

/** `deno task bench mailbox [options]`. */
export async function main(args: string[]): Promise<void> {
  if (args.includes("--help")) {
    console.log(MAILBOX_USAGE);
    Deno.exit(0);
  }
  let o: MailboxOptions;
  try {
    o = parseMailboxArgs(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${e.message}\n\n${MAILBOX_USAGE}`);
    Deno.exit(2);
  }
  const db = await openBenchDatabase("mailbox");
  try {
    console.log(`database: ${db.description}`);
    console.log(
      `backlog: ${fmt(o.messages)} messages over ${fmt(o.actors)} actors, enqueued in bulk ` +
        `(${fmt(o.chunk)} per call); latency: ${fmt(o.rate)} msgs/s for ${o.seconds} s, ` +
        "one send per message",
    );
    const result = await runMailboxBench(db, o);
    console.log(`\n${renderMailbox(result)}\n\n${notes(result, o).join("\n")}`);
    console.log(JSON.stringify(summary(result)));
  } finally {
    await db.close();
  }
}
