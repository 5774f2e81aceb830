/**
 * `deno task bench pipeline [--orders 200]`: N signups placed at once against `main.ts`
 * (the single-process default), end to end — order → service order → provisioning →
 * subscription charged and active — first with the simulator's delays at zero
 * (BSS_PROVISIONING_DELAY_SCALE=0: our own overhead) and then with its default delays; then
 * one order at a time on a warm system (zero delays): a single customer's wait.
 * Customers (KYC + card) are set up before the clock starts. Latency per order is read from
 * the audit log: `order.in_progress` (submit) → `order.completed` (line active).
 *
 * `--profile` prints, after each phase, where the orders' time went step by step
 * (`lib/pipeline_profile.ts`); `--phases zero,default,single,single-default` runs only some.
 *
 * @module
 */
import { workDelayMs } from "../actors/provisioning/faults.ts";
import { getProductOrder } from "../http/com/product_orders.ts";
import { placeOrder, signupCustomer } from "../tests/support/signup.ts";
import type { Sql } from "../kernel/db/types.ts";
import { openBenchDatabase } from "./lib/database.ts";
import { cpuPerOrder, profileOrders, sampleCpu } from "./lib/pipeline_profile.ts";
import { pool, printErrors, runSystem } from "./lib/running.ts";
import { fmt, percentile, perSecond, sleep, wallMs } from "./lib/stats.ts";
import { table } from "./lib/table.ts";
import { benchArgs } from "./lib/args.ts";

interface Phase {
  delays: string;
  orders: number;
  completed: number;
  ordersPerS: number;
  p50: number;
  p99: number;
  /** With delays: the simulator's critical path, the longest task of an order, in ms. */
  criticalPathMs?: number;
}

/** Prints the step profile of `ids` (and `cpu`, per order) when `--profile` asked for it. */
type Profiler = (sql: Sql, ids: string[], label: string, cpu: string) => Promise<void>;

async function phase(orders: number, scale: number, profile: Profiler): Promise<Phase> {
  const db = await openBenchDatabase("pipeline");
  const system = await runSystem(db.url, { BSS_PROVISIONING_DELAY_SCALE: String(scale) });
  try {
    console.error(`[pipeline] scale ${scale}: setting up ${orders} verified customers with cards`);
    const customers = await pool(orders, 8, () => signupCustomer(system.client));
    console.error(`[pipeline] scale ${scale}: placing ${orders} orders at once`);
    const cpu = await sampleCpu(db.sql, system.main.child.pid);
    const ids = await Promise.all(customers.map((c) => placeOrder(system.client, c)));
    const polls = await finished(db.sql, ids, 100, 300_000);
    const used = cpuPerOrder(
      cpu,
      await sampleCpu(db.sql, system.main.child.pid),
      orders,
      polls,
    );
    const ms = await submitToActive(db.sql, ids);
    await profile(db.sql, ids, `${orders} at once, scale ${scale}`, used);
    const [{ span }] = await db.sql`
      select extract(epoch from max(occurred_at) - min(occurred_at)) * 1000 as span
      from audit.domain_event where event_type in ('order.in_progress', 'order.completed')`;
    const sample = await system.client.com.call(getProductOrder, { params: { id: ids[0] } });
    if (sample.state !== "completed") console.error(`[pipeline] sample order: ${sample.state}`);
    return {
      delays: scale === 0 ? "zero" : "default",
      orders,
      completed: ms.length,
      ordersPerS: perSecond(ms.length, Number(span)),
      p50: percentile(ms, 50),
      p99: percentile(ms, 99),
    };
  } catch (e) {
    printErrors(system);
    throw e;
  } finally {
    await system.stop();
    await db.close();
  }
}

/**
 * Waits until every order of `ids` has finished, reading the database every `pollMs`: the
 * bench's own connection, so watching adds no work to the system under test (polling its API
 * every few ms would take CPU from the orders being measured). Returns how many reads it made.
 */
async function finished(
  sql: Sql,
  ids: string[],
  pollMs: number,
  timeoutMs: number,
): Promise<number> {
  const started = wallMs();
  for (let polls = 1;; polls++) {
    const [{ done }] = await sql`
      select count(*)::int as done from order_mgmt.product_order
      where id = any(${ids}::text[]) and state in ('completed', 'failed', 'cancelled')`;
    if (done >= ids.length) return polls;
    if (wallMs() - started > timeoutMs) throw new Error(`only ${done}/${ids.length} finished`);
    await sleep(pollMs);
  }
}

/** Submit → completed of each of `ids` that completed, in ms, from the audit log. */
async function submitToActive(sql: Sql, ids: string[]): Promise<number[]> {
  const rows = await sql<{ ms: number }[]>`
    select extract(epoch from c.occurred_at - s.occurred_at) * 1000 as ms
    from audit.domain_event s join audit.domain_event c
      on c.aggregate_id = s.aggregate_id and c.event_type = 'order.completed'
    where s.event_type = 'order.in_progress' and s.aggregate_id = any(${ids}::text[])`;
  return rows.map((r) => Number(r.ms));
}

/**
 * The simulator's critical path of `ids` at delay `scale`: their tasks run side by side, so
 * the longest task's work time (without faults, which the bench does not inject).
 */
async function criticalPathMs(sql: Sql, ids: string[], scale: number): Promise<number> {
  const rows = await sql<{ task_type: string }[]>`
    select distinct task_type from provisioning.provisioning_task
    where commercial_order_id = any(${ids}::text[])`;
  // No fault, so no slowdown is drawn: the duration is the type's own.
  return Math.max(0, ...rows.map((r) => workDelayMs(r.task_type, null, scale, () => 0)));
}

/** Warm-up orders before the one-at-a-time sample (JIT, pools, prepared statements). */
const WARM_UP = 5;

/** `orders` orders one after another on a warm system, simulator delays scaled by `scale`. */
async function oneAtATime(orders: number, scale: number, profile: Profiler): Promise<Phase> {
  const db = await openBenchDatabase("pipeline_single");
  const system = await runSystem(db.url, { BSS_PROVISIONING_DELAY_SCALE: String(scale) });
  try {
    console.error(
      `[pipeline] scale ${scale}, one at a time: ${WARM_UP} warm-up orders, then ${orders}`,
    );
    const customers = await pool(orders + WARM_UP, 8, () => signupCustomer(system.client));
    let polls = 0;
    const one = async (customerId: string) => {
      const id = await placeOrder(system.client, customerId);
      polls += await finished(db.sql, [id], 5, 30_000);
      return id;
    };
    for (const c of customers.slice(0, WARM_UP)) await one(c);
    const ids = [];
    const cpu = await sampleCpu(db.sql, system.main.child.pid);
    polls = 0;
    const started = wallMs();
    for (const c of customers.slice(WARM_UP)) ids.push(await one(c));
    const used = cpuPerOrder(
      cpu,
      await sampleCpu(db.sql, system.main.child.pid),
      orders,
      polls,
    );
    const ms = await submitToActive(db.sql, ids);
    await profile(db.sql, ids, `one at a time, scale ${scale}`, used);
    return {
      delays: `${scale === 0 ? "zero" : "default"}, one at a time`,
      orders,
      completed: ms.length,
      ordersPerS: perSecond(ms.length, wallMs() - started),
      p50: percentile(ms, 50),
      p99: percentile(ms, 99),
      criticalPathMs: scale > 0 ? await criticalPathMs(db.sql, ids, scale) : undefined,
    };
  } catch (e) {
    printErrors(system);
    throw e;
  } finally {
    await system.stop();
    await db.close();
  }
}

const PHASES = {
  zero: (n: number, p: Profiler) => phase(n, 0, p),
  default: (n: number, p: Profiler) => phase(n, 1, p),
  single: (n: number, p: Profiler) => oneAtATime(Math.min(n, 30), 0, p),
  "single-default": (n: number, p: Profiler) => oneAtATime(Math.min(n, 30), 1, p),
};
type PhaseName = keyof typeof PHASES;

/** Runs the bench. */
export async function main(args: string[]): Promise<void> {
  const known = Object.keys(PHASES).join(",");
  const { values, count, refuse } = benchArgs(
    `deno task bench pipeline [--orders 200] [--phases ${known}] [--profile]`,
    args,
    {
      orders: { type: "string", default: "200" },
      profile: { type: "boolean", default: false },
      phases: { type: "string", default: known },
    },
  );
  const orders = count("orders");
  const names = values.phases.split(",").map((n) => n.trim()) as PhaseName[];
  const unknown = names.filter((n) => !(n in PHASES));
  if (unknown.length) refuse(`unknown phase ${unknown}; known: ${known}`);
  const profile: Profiler = async (sql, ids, label, cpu) => {
    if (values.profile) console.log(`\n${label}\n${await profileOrders(sql, ids)}\n${cpu}\n`);
  };
  const results: Partial<Record<PhaseName, Phase>> = {};
  for (const name of names) results[name] = await PHASES[name](orders, profile);
  const ran = Object.values(results);
  console.log(table(
    ["simulator delays", "orders", "completed", "orders/s", "order→active p50 ms", "p99 ms"],
    ran.map((r) => [
      r.delays,
      fmt(r.orders),
      fmt(r.completed),
      fmt(r.ordersPerS),
      fmt(r.p50, 1),
      fmt(r.p99, 1),
    ]),
  ));
  const { zero, default: dflt, single, "single-default": singleDelayed } = results;
  const ms = (n: number | undefined) => n === undefined ? undefined : Math.round(n);
  const critical = singleDelayed?.criticalPathMs;
  const overhead = critical === undefined ? undefined : singleDelayed!.p50 - critical;
  if (overhead !== undefined) {
    console.log(
      `default delays, one at a time: p50 ${fmt(singleDelayed!.p50, 1)} ms = the simulator's ` +
        `critical path ${fmt(critical!, 1)} ms + ${fmt(overhead, 1)} ms of the pipeline's own ` +
        `(target: within 50 ms)`,
    );
  }
  console.log(JSON.stringify({
    orders: orders,
    zero_delay_orders_per_s: zero?.ordersPerS,
    zero_delay_p50_ms: ms(zero?.p50),
    zero_delay_p99_ms: ms(zero?.p99),
    default_delay_orders_per_s: dflt?.ordersPerS,
    default_delay_p50_ms: ms(dflt?.p50),
    default_delay_p99_ms: ms(dflt?.p99),
    single_order_p50_ms: ms(single?.p50),
    single_order_p99_ms: ms(single?.p99),
    single_order_default_delay_p50_ms: ms(singleDelayed?.p50),
    single_order_default_critical_path_ms: ms(critical),
    single_order_default_overhead_ms: ms(overhead),
    completed: ran.reduce((n, r) => n + r.completed, 0),
  }));
}
