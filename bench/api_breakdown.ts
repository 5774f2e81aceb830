/**
 * Where an actor-backed write's time goes, read back from the span store (`telemetry.span`)
 * of the system under the bench: for each `PATCH …/individual` since `since`, its server span,
 * the `ask` span under it and the turn (consumer span) under that, cut into stages:
 *
 * - edge: from the server span's start to the ask (scope, input checks, clock read,
 *   validation, the existence check)
 * - queue: from the ask to the turn's start (an idle actor's turn runs at once: a permit
 *   and the lock; else the enqueue, wake-up, lock, load and turn claim)
 * - turn: the handler
 * - commit: from the turn's end to the reply (the rest of its batch, the flush, the commit)
 * - answer: from the reply to the server span's end
 *
 * @module
 */
import type { Sql } from "../kernel/db/types.ts";

/** p50/p99 of one stage, in ms. */
export interface Stage {
  stage: string;
  p50: number;
  p99: number;
}

const STAGES = ["server", "edge", "queue", "turn", "commit", "answer"] as const;

/** The stages of the writes since `since` (spans are flushed every 200 ms: wait first). */
export async function writeBreakdown(sql: Sql, since: Date): Promise<Stage[]> {
  const [row] = await sql<Record<string, number | null>[]>`
    with w as (
      select s.duration_ms as server,
        extract(epoch from a.start_time - s.start_time) * 1000 as edge,
        extract(epoch from c.start_time - a.start_time) * 1000 as queue,
        c.duration_ms as turn,
        a.duration_ms - c.duration_ms
          - extract(epoch from c.start_time - a.start_time) * 1000 as commit,
        s.duration_ms - a.duration_ms
          - extract(epoch from a.start_time - s.start_time) * 1000 as answer
      from telemetry.span s
      join telemetry.span a on a.trace_id = s.trace_id and a.parent_span_id = s.span_id
        and a.kind = 'PRODUCER'
      join telemetry.span c on c.trace_id = a.trace_id and c.parent_span_id = a.span_id
        and c.kind = 'CONSUMER'
      where s.kind = 'SERVER' and s.name like 'PATCH %/individual' and s.start_time >= ${since}
    )
    select ${
    sql.unsafe(
      STAGES.map((k) =>
        `percentile_cont(0.5) within group (order by ${k}) as ${k}_p50, ` +
        `percentile_cont(0.99) within group (order by ${k}) as ${k}_p99`
      ).join(", "),
    )
  } from w`;
  return STAGES.map((stage) => ({
    stage,
    p50: Number(row?.[`${stage}_p50`] ?? NaN),
    p99: Number(row?.[`${stage}_p99`] ?? NaN),
  }));
}
