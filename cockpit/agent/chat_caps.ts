/**
 * The customer chat's caps (docs/handbook, chat-cap runbook), checked before every turn and
 * failing closed: requests per customer per hour and per IP per hour (sliding one-hour
 * windows in this process), and cost per customer per calendar month (`cockpit.chat_usage`,
 * shared by every process). A check that cannot be made refuses the turn.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";

/** Which cap refused a turn. */
export type CapName = "hourly_rate_cap" | "monthly_cost_cap" | "ip_rate_cap" | "cap_check_failed";

/** A refused turn: the cap and when to try again. */
export interface CapRefusal {
  cap: CapName;
  retryAt: Date;
}

/** The limits. */
export interface CapLimits {
  perCustomerPerHour: number;
  monthlyCostCents: number;
  perIpPerHour: number;
}

const HOUR_MS = 3_600_000;

/** `YYYYMM` of `at` (UTC). */
export function periodOf(at: Date): string {
  return at.toISOString().slice(0, 7).replace("-", "");
}

/** Sliding one-hour windows of request times, by key. */
class HourWindows {
  readonly #times = new Map<string, number[]>();

  /** The times within the hour before `now`, oldest first (older ones are dropped). */
  recent(key: string, now: number): number[] {
    const kept = (this.#times.get(key) ?? []).filter((t) => t > now - HOUR_MS);
    if (kept.length) this.#times.set(key, kept);
    else this.#times.delete(key);
    return kept;
  }

  add(key: string, now: number): void {
    this.#times.set(key, [...this.recent(key, now), now]);
  }
}

/** The caps of one process. */
export class ChatCaps {
  readonly #customers = new HourWindows();
  readonly #ips = new HourWindows();

  constructor(readonly sql: Sql, readonly limits: CapLimits) {}

  /** Why a turn may not run now, or undefined when it may. Never throws. */
  async check(customerId: string, ip: string | undefined, now = new Date()): Promise<
    CapRefusal | undefined
  > {
    try {
      const t = now.getTime();
      const mine = this.#customers.recent(customerId, t);
      if (mine.length >= this.limits.perCustomerPerHour) {
        return { cap: "hourly_rate_cap", retryAt: new Date(mine[0] + HOUR_MS) };
      }
      if (ip) {
        const fromIp = this.#ips.recent(ip, t);
        if (fromIp.length >= this.limits.perIpPerHour) {
          return { cap: "ip_rate_cap", retryAt: new Date(fromIp[0] + HOUR_MS) };
        }
      }
      const [row] = await this.sql`
        select cost_cents from cockpit.chat_usage
        where customer_id = ${customerId} and period_yyyymm = ${periodOf(now)}`;
      if ((row?.cost_cents ?? 0) >= this.limits.monthlyCostCents) {
        const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
        return { cap: "monthly_cost_cap", retryAt: next };
      }
      return undefined;
    } catch {
      return { cap: "cap_check_failed", retryAt: new Date(now.getTime() + 60_000) };
    }
  }

  /** Counts a turn that ran and adds its cost to the month. */
  async record(customerId: string, ip: string | undefined, cents: number, now = new Date()) {
    this.#customers.add(customerId, now.getTime());
    if (ip) this.#ips.add(ip, now.getTime());
    await this.sql`
      insert into cockpit.chat_usage (customer_id, period_yyyymm, requests_count, cost_cents)
      values (${customerId}, ${periodOf(now)}, 1, ${cents})
      on conflict (customer_id, period_yyyymm) do update set
        requests_count = cockpit.chat_usage.requests_count + 1,
        cost_cents = cockpit.chat_usage.cost_cents + excluded.cost_cents,
        last_updated = now()`;
  }
}
