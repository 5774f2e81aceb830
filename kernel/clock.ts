/**
 * The BSS clock: wall time plus an offset, or a frozen instant. Its state is one row in
 * Postgres (`kernel.clock`) shared by every process; changes are announced on the `bss_clock`
 * channel so each process's cached copy follows. A notification may arrive after the next
 * request does, so the places work starts read the row again first — every HTTP request from
 * outside the process ({@link Clock.sync}; a call between services of one process is part of
 * work that already did) and every drain batch (with its lock) — and a freeze or advance made
 * by any process is seen by all work that starts after it commits. Business logic reads time
 * only here (and SQL only through `kernel.bss_now()`).
 *
 * @module
 */
import type { Pool, Sql } from "./db/types.ts";

/** The clock as the admin API shows it. */
export interface ClockState {
  mode: "wall" | "frozen";
  now: string;
  offsetSeconds: number;
  frozenAt: string | null;
}

const CHANNEL = "bss_clock";
const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Parses `"<N>s|m|h|d"` into seconds, or undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+)\s*([smhd])\s*$/.exec(text);
  return m ? Number(m[1]) * UNITS[m[2]] : undefined;
}

/** The `kernel.clock` row (`frozen_at` a Date, or its ISO text when read through JSON). */
export interface ClockRow {
  offset_seconds: number;
  frozen_at: Date | string | null;
}

/** One process's view of the shared clock. */
export class Clock {
  #offsetMs = 0;
  #frozenMs: number | null = null;
  #reading: Promise<void> | undefined;
  #next: Promise<void> | undefined;

  /** The current BSS instant. */
  now(): Date {
    return new Date(this.#frozenMs ?? Date.now() + this.#offsetMs);
  }

  /** The clock as the admin API shows it. */
  state(): ClockState {
    return {
      mode: this.#frozenMs === null ? "wall" : "frozen",
      now: this.now().toISOString(),
      offsetSeconds: this.#offsetMs / 1000,
      frozenAt: this.#frozenMs === null ? null : new Date(this.#frozenMs).toISOString(),
    };
  }

  /**
   * Brings the cached state up to the row as it is now: work that starts after a clock
   * change committed anywhere sees it. Concurrent callers share one read (a caller arriving
   * while a read is in flight waits for the next one, which starts after it arrived).
   */
  sync(sql: Sql): Promise<void> {
    if (!this.#reading) {
      this.#reading = this.refresh(sql).finally(() => this.#reading = undefined);
      return this.#reading;
    }
    this.#next ??= this.#reading.catch(() => {}).then(() => {
      this.#next = undefined;
      return this.sync(sql);
    });
    return this.#next;
  }

  /** Reloads the shared state. */
  async refresh(sql: Sql): Promise<void> {
    const [row] = await sql<ClockRow[]>`select offset_seconds, frozen_at from kernel.clock`;
    this.apply(row);
  }

  /** Takes the shared state from a copy of its row read by another statement. */
  apply(row: ClockRow): void {
    this.#offsetMs = Number(row.offset_seconds) * 1000;
    this.#frozenMs = row.frozen_at === null ? null : new Date(row.frozen_at).getTime();
  }

  /** Follows changes made by any process; returns a function that stops following. */
  async follow(sql: Pool): Promise<() => Promise<void>> {
    const sub = await sql.listen(CHANNEL, () => void this.refresh(sql), () => this.refresh(sql));
    return () => sub.unlisten();
  }

  /** Freezes at `at` (default: the current BSS instant). */
  async freeze(sql: Sql, at?: Date): Promise<ClockState> {
    const instant = at ?? this.now();
    return await this.#update(sql, sql`update kernel.clock set frozen_at = ${instant}`);
  }

  /** Back to wall time, keeping the accumulated offset. */
  async unfreeze(sql: Sql): Promise<ClockState> {
    return await this.#update(
      sql,
      sql`update kernel.clock set
        offset_seconds = case when frozen_at is null then offset_seconds
          else extract(epoch from frozen_at - clock_timestamp()) end,
        frozen_at = null`,
    );
  }

  /** Back to wall time exactly: no offset, not frozen. */
  async reset(sql: Sql): Promise<ClockState> {
    return await this.#update(
      sql,
      sql`update kernel.clock set offset_seconds = 0, frozen_at = null`,
    );
  }

  /** Moves the clock forward: the frozen instant, or the wall offset. */
  async advance(sql: Sql, seconds: number): Promise<ClockState> {
    if (!(seconds >= 0)) throw new RangeError("advance takes a non-negative duration");
    return await this.#update(
      sql,
      sql`update kernel.clock set
        frozen_at = frozen_at + make_interval(secs => ${seconds}),
        offset_seconds = case when frozen_at is null then offset_seconds + ${seconds}
          else offset_seconds end`,
    );
  }

  async #update(sql: Sql, change: PromiseLike<unknown>): Promise<ClockState> {
    await change;
    await sql`select pg_notify(${CHANNEL}, '')`;
    await this.refresh(sql);
    return this.state();
  }
}

/** The process clock. */
export const clock: Clock = new Clock();
