/**
 * `deno task bench api [--seconds 5] [--concurrency 16]`: load on a read and a write endpoint
 * of `main.ts` (its own process), closed-loop with a fixed number of requests in flight.
 *
 * - read: `GET /tmf-api/customerManagement/v4/customer/{id}` (CRM, one indexed read)
 * - write: `PATCH …/customer/{id}/individual` (through the customer actor: mailbox, turn,
 *   event, interaction, commit, reply) on a rotating set of customers
 *
 * Prints p50/p99/p999 and requests/s per endpoint, then where a write's time goes (stages read
 * back from its spans, `api_breakdown.ts`), and ends with one JSON line. The load generator
 * shares the 2-core machine with the server: figures include that contention.
 *
 * @module
 */
import { getCustomer, updateIndividual } from "../http/crm/customers.ts";
import { createCustomer } from "../tests/support/crm.ts";
import { writeBreakdown } from "./api_breakdown.ts";
import { openBenchDatabase } from "./lib/database.ts";
import { pool, printErrors, runSystem } from "./lib/running.ts";
import { fmt, percentile, perSecond, sleep, wallMs } from "./lib/stats.ts";
import { table } from "./lib/table.ts";
import { benchArgs } from "./lib/args.ts";

interface Load {
  name: string;
  requests: number;
  errors: number;
  perS: number;
  p50: number;
  p99: number;
  p999: number;
}

/** Runs `call` with `concurrency` in flight for `seconds`; latencies in ms. */
async function load(
  name: string,
  seconds: number,
  concurrency: number,
  call: (i: number) => Promise<unknown>,
): Promise<Load> {
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  const start = wallMs();
  const end = start + seconds * 1000;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (wallMs() < end) {
      const t = wallMs();
      try {
        await call(n++);
        latencies.push(wallMs() - t);
      } catch {
        errors++;
      }
    }
  }));
  return {
    name,
    requests: latencies.length,
    errors,
    perS: perSecond(latencies.length, wallMs() - start),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    p999: percentile(latencies, 99.9),
  };
}

/** Runs the bench. */
export async function main(args: string[]): Promise<void> {
  const { count } = benchArgs("deno task bench api [--seconds 5] [--concurrency 16]", args, {
    seconds: { type: "string", default: "5" },
    concurrency: { type: "string", default: "16" },
  });
  const seconds = count("seconds");
  const concurrency = count("concurrency");
  const db = await openBenchDatabase("api");
  const system = await runSystem(db.url);
  try {
    const crm = system.client.crm;
    const ids = await pool(64, 8, () => createCustomer(crm));
    console.error(`[api] ${db.description}; ${ids.length} customers; warming up`);
    await load(
      "warm-up",
      1,
      concurrency,
      (i) => crm.call(getCustomer, { params: { id: ids[i % ids.length] } }),
    );
    const read = await load(
      "read  GET customer/{id}",
      seconds,
      concurrency,
      (i) => crm.call(getCustomer, { params: { id: ids[i % ids.length] } }),
    );
    const writesFrom = new Date();
    const write = await load(
      "write PATCH customer/{id}/individual",
      seconds,
      concurrency,
      (i) =>
        crm.call(updateIndividual, {
          params: { id: ids[i % ids.length] },
          body: { givenName: `Mei${i % 1000}` },
        }),
    );
    const results = [read, write];
    // The span store writes every 200 ms: let the last writes' spans land.
    await sleep(1000);
    const stages = await writeBreakdown(db.sql, writesFrom);
    console.log(table(
      ["endpoint", "requests", "errors", "req/s", "p50 ms", "p99 ms", "p999 ms"],
      results.map((r) => [
        r.name,
        fmt(r.requests),
        fmt(r.errors),
        fmt(r.perS),
        fmt(r.p50, 2),
        fmt(r.p99, 2),
        fmt(r.p999, 2),
      ]),
    ));
    console.log(`\nwhere a write's time goes (from its spans):`);
    console.log(table(
      ["stage", "p50 ms", "p99 ms"],
      stages.map((st) => [st.stage, fmt(st.p50, 2), fmt(st.p99, 2)]),
    ));
    console.log(JSON.stringify({
      concurrency,
      read_req_per_s: read.perS,
      read_p50_ms: +read.p50.toFixed(2),
      read_p99_ms: +read.p99.toFixed(2),
      read_p999_ms: +read.p999.toFixed(2),
      write_req_per_s: write.perS,
      write_p50_ms: +write.p50.toFixed(2),
      write_p99_ms: +write.p99.toFixed(2),
      write_p999_ms: +write.p999.toFixed(2),
      errors: read.errors + write.errors,
      write_stages_ms: Object.fromEntries(
        stages.map((st) => [st.stage, { p50: +st.p50.toFixed(2), p99: +st.p99.toFixed(2) }]),
      ),
    }));
  } catch (e) {
    printErrors(system);
    throw e;
  } finally {
    await system.stop();
    await db.close();
  }
}
