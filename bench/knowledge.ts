/**
 * `deno task bench knowledge [--rounds 20]`: the knowledge index on the project's own docs.
 *
 * - reindex, cold: an empty index, every file read, cut and written;
 * - reindex, warm: nothing changed — what the CRM role pays at every start-up (a stat per
 *   file and one query);
 * - search: questions an operator asks (all words match), misspelt ones (trigram correction,
 *   then any word), one query at a time, in process (the SQL, not HTTP).
 *
 * Prints p50/p99 per kind of work and ends with one JSON line. On a fresh bench database by
 * default; with `BSS_DB_URL` it rebuilds that database's index from the project's docs (a
 * derived index: the same rows a reindex writes).
 *
 * @module
 */
import { reindex } from "../actors/knowledge/reindex.ts";
import { search } from "../actors/knowledge/search.ts";
import { DEFAULT_KNOWLEDGE_ROOT } from "../kernel/config.ts";
import { openBenchDatabase } from "./lib/database.ts";
import { fmt, percentile, wallMs } from "./lib/stats.ts";
import { table } from "./lib/table.ts";
import { benchArgs } from "./lib/args.ts";

const QUESTIONS = [
  "how do I port a number in",
  "customer says they were charged twice",
  "line is blocked, data stopped working",
  "renewal payment declined",
  "order stuck in provisioning",
  "rotate an API token",
  "order.create.requires_cof",
];

const MISSPELT = ["provisoning stuk", "refnd after activaton", "portng a numbr"];

/** Latencies of `rounds` sequential runs of `work`, in ms. */
async function timed(rounds: number, work: (i: number) => Promise<unknown>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = wallMs();
    await work(i);
    ms.push(wallMs() - start);
  }
  return ms;
}

/** Runs the bench. */
export async function main(args: string[]): Promise<void> {
  const rounds = benchArgs("deno task bench knowledge [--rounds 20]", args, {
    rounds: { type: "string", default: "20" },
  }).count("rounds");
  const db = await openBenchDatabase("knowledge");
  try {
    const root = { root: DEFAULT_KNOWLEDGE_ROOT };
    await db.sql`delete from knowledge.document`;
    const coldStart = wallMs();
    const cold = await reindex(db.sql, root);
    const coldMs = wallMs() - coldStart;
    const warm = await timed(rounds, () => reindex(db.sql, root));
    const ask = (queries: string[]) => (i: number) =>
      search(db.sql, { query: queries[i % queries.length], k: 5 });
    const fts = await timed(rounds * QUESTIONS.length, ask(QUESTIONS));
    const spelling = await timed(rounds * MISSPELT.length, ask(MISSPELT));
    const rows = [
      ["reindex cold", "1", fmt(coldMs, 1), fmt(coldMs, 1)],
      [
        "reindex warm (start-up check)",
        String(warm.length),
        ...[50, 99].map((p) => fmt(percentile(warm, p), 1)),
      ],
      ["search, all words", String(fts.length), ...[50, 99].map((p) => fmt(percentile(fts, p), 1))],
      [
        "search, misspelt",
        String(spelling.length),
        ...[50, 99].map((p) => fmt(percentile(spelling, p), 1)),
      ],
    ];
    console.log(`database: ${db.description}`);
    console.log(`corpus: ${cold.files} files, ${cold.chunks} sections\n`);
    console.log(table(["work", "runs", "p50 ms", "p99 ms"], rows));
    console.log(JSON.stringify({
      bench: "knowledge",
      files: cold.files,
      sections: cold.chunks,
      reindexColdMs: coldMs,
      reindexWarmP50Ms: percentile(warm, 50),
      searchP50Ms: percentile(fts, 50),
      searchP99Ms: percentile(fts, 99),
      misspeltP50Ms: percentile(spelling, 50),
      misspeltP99Ms: percentile(spelling, 99),
    }));
  } finally {
    await db.close();
  }
}
