/**
 * Assertions shared by the HTTP tests: policy violations, successful replies, and the audit
 * events of one aggregate.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Sql } from "../../kernel/db/types.ts";

/** A reply as `reply()` in tests/support/http.ts reads it. */
// deno-lint-ignore no-explicit-any
export type Reply = { status: number; body: any };

/**
 * Asserts a 422 POLICY_VIOLATION with exactly `rule` (and, when given, exactly `context`);
 * returns the violation's context.
 */
export function violation(r: Reply, rule: string, context?: unknown): Record<string, unknown> {
  assert.deepEqual(
    [r.status, r.body?.code, r.body?.rule],
    [422, "POLICY_VIOLATION", rule],
    JSON.stringify(r.body),
  );
  if (context !== undefined) assert.deepEqual(r.body.context, context);
  return r.body.context;
}

/** Asserts a reply with `status` (200 by default) and returns its body. */
// deno-lint-ignore no-explicit-any
export function ok(r: Reply, status = 200): any {
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
}

/** The events about one aggregate, oldest first. */
export async function eventsOf(
  sql: Sql,
  aggregateId: string,
): Promise<{ event_type: string; payload: Record<string, unknown> }[]> {
  return [
    ...await sql<{ event_type: string; payload: Record<string, unknown> }[]>`
      select event_type, payload from audit.domain_event where aggregate_id = ${aggregateId}
      order by id`,
  ];
}
