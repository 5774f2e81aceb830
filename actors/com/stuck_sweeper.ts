/**
 * The stuck-order sweeper (docs/flows.md §6.5): an order still `in_progress` longer than the
 * threshold after its order date (BSS clock) gets one `order.stuck` and a `stuck_flagged_at`
 * stamp. It never cancels or completes anything. Each flag is a trace of its own, linked to
 * the order's placement trace.
 *
 * @module
 */
import type { Pool } from "../../kernel/db/types.ts";
import { emit } from "../../kernel/events.ts";
import { log } from "../../kernel/log.ts";
import { inLinkedTrace } from "../../kernel/telemetry/links.ts";
import { orderEvent } from "./events.ts";

/** `BSS_ORDER_STUCK_THRESHOLD_SECONDS`' default. */
export const DEFAULT_STUCK_THRESHOLD_SECONDS = 900;

interface Flagged {
  id: string;
  customer_id: string;
  state: string;
  order_date: Date;
  placed_traceparent: string | null;
}

/** Flags every newly stuck order; returns their ids. */
export async function sweepStuckOrders(
  sql: Pool,
  thresholdSeconds = DEFAULT_STUCK_THRESHOLD_SECONDS,
): Promise<string[]> {
  return await sql.begin(async (tx) => {
    const rows = await tx<Flagged[]>`
      update order_mgmt.product_order set stuck_flagged_at = kernel.bss_now(), updated_at = now()
      where state = 'in_progress' and stuck_flagged_at is null
        and order_date < kernel.bss_now() - make_interval(secs => ${thresholdSeconds})
      returning id, customer_id, state, order_date, placed_traceparent`;
    for (const o of rows) {
      await inLinkedTrace(
        "order stuck-sweep",
        o.placed_traceparent,
        { "bss.service": "com", "bss.order.id": o.id },
        () =>
          emit(
            tx,
            orderEvent("order.stuck", o, {
              state: o.state,
              stuckSinceOrderDate: o.order_date.toISOString(),
            }),
          ),
      );
    }
    return rows.map((o) => o.id);
  });
}

/** Timing of the background sweeper. */
export interface SweeperOptions {
  /** `BSS_RECONCILIATION_INTERVAL_SECONDS`; 0 turns the sweeper off. */
  intervalSeconds: number;
  /** `BSS_ORDER_STUCK_THRESHOLD_SECONDS`. */
  thresholdSeconds: number;
}

/** Sweeps every interval (sleeping first); returns a function that stops it. */
export function startStuckOrderSweeper(sql: Pool, options: SweeperOptions): () => void {
  if (options.intervalSeconds <= 0) return () => {};
  const timer = setInterval(() => {
    sweepStuckOrders(sql, options.thresholdSeconds).then(
      (ids) => ids.length && log.info("order.stuck.flagged", { order_ids: ids }),
      (e) => log.warn("order.stuck.sweep_failed", { error: String(e) }),
    );
  }, options.intervalSeconds * 1000);
  return () => clearInterval(timer);
}
