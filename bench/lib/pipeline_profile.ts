/**
 * `deno task bench pipeline --profile`: where an order's wall time goes, read back from the
 * runtime's own records after a phase. Every message an actor of the order handled (the
 * order, its service order, its provisioning intake and tasks, its subscription) is in
 * `actor.history` with the time it was enqueued and the time its batch wrote the outcome;
 * each effect is in `effect.effect`. Per step (kind + message type), across orders:
 *
 * - `at`: when the step was done, counted from the order's `submit` turn;
 * - `wait`: enqueued → done (queue wait plus the handler and the rest of its batch).
 *
 * Steps are listed in the order they are reached; the gaps between consecutive `at` values
 * are the hops (a relay pass, an effect run, a drain pickup).
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import { fmt, percentile } from "./stats.ts";
import { table } from "./table.ts";

interface StepRow {
  step: string;
  at: number;
  wait: number;
}

/** The per-step table of the orders `ids`. */
export async function profileOrders(sql: Sql, ids: string[]): Promise<string> {
  const rows = await sql<StepRow[]>`
    with orders as (
      select h.key as order_id, h.handled_at as t0 from actor.history h
      where h.kind = 'order' and h.type = 'submit' and h.outcome = 'ok'
        and h.key = any(${ids}::text[])
    ), actors as (
      select order_id, 'order' as kind, order_id as key from orders
      union all select order_id, 'service_order', order_id from orders
      union all
      select o.order_id, 'subscription', i.target_subscription_id
      from orders o join order_mgmt.order_item i on i.order_id = o.order_id
      where i.target_subscription_id is not null
      union all
      select o.order_id, k.kind, k.key
      from orders o join provisioning.provisioning_task t on t.commercial_order_id = o.order_id
        cross join lateral (values ('provisioning_task', t.id),
          ('provisioning_intake', t.service_id)) k(kind, key)
    ), steps as (
      select distinct on (a.order_id, h.kind, h.type, h.message_id) a.order_id,
        h.kind || ' ' || h.type as step, h.enqueued_at, h.handled_at as done_at
      from actors a join actor.history h on h.kind = a.kind and h.key = a.key
      union all
      select o.order_id, 'effect ' || e.type, e.created_at, e.done_at
      from orders o join order_mgmt.order_item i on i.order_id = o.order_id
        join effect.effect e on e.reply_key in (o.order_id, i.target_subscription_id)
      where e.done_at is not null
    )
    select s.step,
      extract(epoch from s.done_at - o.t0) * 1000 as at,
      extract(epoch from s.done_at - s.enqueued_at) * 1000 as wait
    from steps s join orders o using (order_id)`;
  const bySteps = new Map<string, StepRow[]>();
  for (const r of rows) {
    const list = bySteps.get(r.step) ?? [];
    list.push({ step: r.step, at: Number(r.at), wait: Number(r.wait) });
    bySteps.set(r.step, list);
  }
  const steps = [...bySteps.entries()]
    .map(([step, list]) => ({
      step,
      count: list.length,
      at: percentile(list.map((r) => r.at), 50),
      atP99: percentile(list.map((r) => r.at), 99),
      wait: percentile(list.map((r) => r.wait), 50),
      waitP99: percentile(list.map((r) => r.wait), 99),
    }))
    .sort((a, b) => a.at - b.at);
  return table(
    ["step", "count", "at p50 ms", "at p99 ms", "wait p50 ms", "wait p99 ms"],
    steps.map((s) => [
      s.step,
      fmt(s.count),
      fmt(s.at, 1),
      fmt(s.atP99, 1),
      fmt(s.wait, 1),
      fmt(s.waitP99, 1),
    ]),
  );
}

/**
 * CPU used so far (ms) by the process `pid` and by the Postgres backends of `sql`'s database,
 * and the statements that database ran (from `pg_stat_statements`; null when the server does
 * not load it). Statements per order move far less with the machine's speed than time does
 * (one order at a time, a slower run also counts more idle polls), so they show a change in
 * round trips where time cannot.
 */
export interface CpuSample {
  deno: number;
  postgres: Map<number, number>;
  statements: number | null;
}

/** CPU time (user + system, ms) of process `pid` from /proc; 0 when it cannot be read. */
function cpuMs(pid: number): number {
  try {
    // Fields after the command (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** Statements run so far in `sql`'s database, or null without `pg_stat_statements`. */
async function statementsRun(sql: Sql): Promise<number | null> {
  try {
    const [{ n }] = await sql<{ n: number }[]>`
      select coalesce(sum(calls), 0)::bigint as n from pg_stat_statements
      where dbid = (select oid from pg_database where datname = current_database())`;
    return n;
  } catch {
    return null;
  }
}

/** Samples the CPU of the system under test (`pid`) and of its database's backends. */
export async function sampleCpu(sql: Sql, pid: number): Promise<CpuSample> {
  const backends = await sql<{ pid: number }[]>`
    select pid from pg_stat_activity where datname = current_database()`;
  return {
    deno: cpuMs(pid),
    postgres: new Map(backends.map((b) => [b.pid, cpuMs(b.pid)])),
    statements: await statementsRun(sql),
  };
}

/**
 * The statements a pair of samples adds to the count between them: the first sample's count
 * read (recorded after it ran) and the second sample's backend list.
 */
const SAMPLING_STATEMENTS = 2;

/**
 * CPU ms per order between two samples, for the system process and for Postgres, and the
 * statements per order when they were counted. `benchReads` are the statements the bench ran
 * itself between the samples (its polls for the orders' end): they are not the orders'.
 */
export function cpuPerOrder(
  before: CpuSample,
  after: CpuSample,
  orders: number,
  benchReads: number,
): string {
  let postgres = 0;
  for (const [pid, ms] of after.postgres) postgres += ms - (before.postgres.get(pid) ?? 0);
  const deno = after.deno - before.deno;
  const cpu = `CPU per order: system process ${fmt(deno / orders, 1)} ms, ` +
    `Postgres backends ${
      fmt(postgres / orders, 1)
    } ms (from /proc; far less skewed by the load than wall time)`;
  if (before.statements === null || after.statements === null) return cpu;
  const statements = after.statements - before.statements - benchReads - SAMPLING_STATEMENTS;
  return `${cpu}\nStatements per order: ${fmt(statements / orders, 1)} (pg_stat_statements)`;
}
