/**
 * The two phases every queue goes through: a backlog drain (throughput) and a steady stream
 * below capacity (latency). Each starts from an empty queue and its own worker processes.
 *
 * @module
 */
import { fmt, percentile, perSecond, sleep, wallMs } from "../lib/stats.ts";
import type { BenchMessage, ConsumerSpec, Queue } from "./engine.ts";
import { Fleet } from "./fleet.ts";

/** Where a phase runs: a queue, its consumers and how many processes run them. */
export interface Setup {
  /** e.g. `bss [2×1 workers, batch 128×32]`, for progress lines. */
  label: string;
  queue: Queue;
  consumer: ConsumerSpec;
  processes: number;
}

/** The shape of the load. */
export interface Load {
  messages: number;
  actors: number;
  /** Messages per bulk enqueue call. */
  chunk: number;
  /** A drain still running after this long is cut short (and its rate is what it managed). */
  maxDrainSeconds: number;
  /** Messages per second in the latency phase. */
  rate: number;
  seconds: number;
}

/** Throughput of a backlog drain. */
export interface DrainResult {
  enqueuePerS: number;
  perS: number;
  handled: number;
  /** The drain hit `maxDrainSeconds` before the backlog was gone. */
  capped: boolean;
  violations: number;
}

/** Latency of a steady stream. */
export interface LatencyResult {
  sent: number;
  /** The send rate achieved (below `rate` when sending itself was the bottleneck). */
  sentPerS: number;
  p50: number;
  p99: number;
  violations: number;
}

const message = (i: number, actors: number): BenchMessage => ({
  actor: `a${i % actors}`,
  seq: i,
  sentAt: wallMs(),
});

const say = (text: string) => console.error(`  ${text}`);

/**
 * Waits until `target` messages are handled and the queue is empty, or `capMs` passed since
 * `t0`, printing progress each second. Returns when it ended and how many were handled by then.
 */
async function settle(setup: Setup, fleet: Fleet, target: number, t0: number, capMs: number) {
  let shown = performance.now();
  while (fleet.handled < target || (await setup.queue.pending()) > 0) {
    const now = performance.now();
    if (now - t0 > capMs) return { end: now, handled: fleet.handled };
    if (now - shown >= 1000) {
      shown = now;
      say(`${setup.label}: ${fmt(fleet.handled)}/${fmt(target)} handled`);
    }
    await sleep(5);
  }
  return { end: performance.now(), handled: target };
}

/** Enqueues the backlog in bulk, then starts the workers and times them until it is gone. */
export async function drain(setup: Setup, load: Load): Promise<DrainResult> {
  const { queue } = setup;
  await queue.reset();
  const e0 = performance.now();
  for (let from = 0; from < load.messages; from += load.chunk) {
    const n = Math.min(load.chunk, load.messages - from);
    await queue.enqueueBulk(Array.from({ length: n }, (_, i) => message(from + i, load.actors)));
  }
  const enqueuePerS = perSecond(load.messages, performance.now() - e0);
  await queue.analyze();
  say(`${setup.label}: ${fmt(load.messages)} enqueued in bulk (${fmt(enqueuePerS)}/s)`);
  const fleet = await Fleet.spawn(setup.consumer, setup.processes);
  const t0 = performance.now();
  await fleet.start();
  const { end, handled } = await settle(
    setup,
    fleet,
    load.messages,
    t0,
    load.maxDrainSeconds * 1000,
  );
  const { violations } = await fleet.stop();
  const capped = handled < load.messages;
  const result = { enqueuePerS, perS: perSecond(handled, end - t0), handled, capped, violations };
  say(
    `${setup.label}: drained ${fmt(result.handled)} at ${fmt(result.perS)}/s` +
      (capped ? ` (cut short after ${load.maxDrainSeconds} s)` : ""),
  );
  return result;
}

/**
 * Sends `rate` messages per second for `seconds` with single sends into running workers, in
 * 5 ms ticks (a tick's sends go out together and never carry two messages for one actor),
 * and measures each message's enqueue→handled latency.
 */
export async function latency(setup: Setup, load: Load): Promise<LatencyResult> {
  const { queue } = setup;
  await queue.reset();
  const fleet = await Fleet.spawn(setup.consumer, setup.processes);
  await fleet.start();
  await sleep(300); // connections open, first polls done
  const total = load.rate * load.seconds;
  const t0 = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor((load.rate * (performance.now() - t0)) / 1000));
    const batch = Math.min(due - sent, load.actors);
    await Promise.all(
      Array.from({ length: batch }, (_, i) => queue.send(message(sent + i, load.actors))),
    );
    sent += batch;
    await sleep(5);
  }
  const sentPerS = perSecond(sent, performance.now() - t0);
  say(`${setup.label}: sent ${fmt(sent)} at ${fmt(sentPerS)}/s`);
  await settle(setup, fleet, total, performance.now(), load.maxDrainSeconds * 1000);
  const report = await fleet.stop();
  const result = {
    sent,
    sentPerS,
    p50: percentile(report.latencies, 50),
    p99: percentile(report.latencies, 99),
    violations: report.violations,
  };
  say(`${setup.label}: latency p50 ${fmt(result.p50, 1)} ms, p99 ${fmt(result.p99, 1)} ms`);
  return result;
}
