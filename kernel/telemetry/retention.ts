/**
 * Span store retention: the store grows by a few rows per message, so spans older than the
 * retention window are deleted every ten minutes (by every process; the deletes are idempotent).
 *
 * @module
 */
import type { Pool } from "../db/types.ts";
import { log } from "../log.ts";

const EVERY_MS = 10 * 60_000;

/** Deletes spans that started more than `hours` ago. */
export async function pruneSpans(sql: Pool, hours: number): Promise<number> {
  const rows = await sql`
    delete from telemetry.span where start_time < now() - make_interval(hours => ${hours})`;
  return rows.count;
}

/** Prunes now and every ten minutes (unref'd timer); `hours` 0 turns retention off. */
export function pruneSpansEvery(
  sql: Pool,
  hours: number,
): ReturnType<typeof setInterval> | undefined {
  if (hours <= 0) return undefined;
  const run = () =>
    pruneSpans(sql, hours).catch((e) => log.warn("telemetry.prune_failed", { error: String(e) }));
  void run();
  const timer = setInterval(run, EVERY_MS);
  Deno.unrefTimer(timer);
  return timer;
}
