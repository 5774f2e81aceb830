/**
 * What a bench handler does instead of work: counts the message, checks in memory that each
 * actor's sequence numbers only grow (FIFO as this process saw it) and records the
 * enqueue→handled latency. It touches no table, so the handler stays a no-op for the database.
 *
 * @module
 */
import { wallMs } from "../lib/stats.ts";
import type { BenchMessage } from "./engine.ts";

/** The observations of one consumer process. */
export interface ProbeReport {
  handled: number;
  /** Messages seen with a sequence number not above the actor's previous one. */
  violations: number;
  /** Enqueue→handled milliseconds, one per message. */
  latencies: number[];
}

/** Observes handled messages. */
export class Probe {
  #last = new Map<string, number>();
  #report: ProbeReport = { handled: 0, violations: 0, latencies: [] };

  /** Records one handled message. */
  observe(m: BenchMessage): void {
    const r = this.#report;
    r.handled++;
    r.latencies.push(wallMs() - m.sentAt);
    if ((this.#last.get(m.actor) ?? -1) >= m.seq) r.violations++;
    this.#last.set(m.actor, m.seq);
  }

  /** Everything observed so far. */
  get report(): ProbeReport {
    return this.#report;
  }
}
