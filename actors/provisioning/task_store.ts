/**
 * The task row as handlers see it, and its two writes: inserting a new task and moving it
 * to a state (every move appends a history row in the same statement).
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import type { CallerContext } from "../../kernel/context.ts";
import type { FaultType, TaskState } from "./vocab.ts";

/** A `provisioning.provisioning_task` row. */
export interface TaskRow {
  id: string;
  service_id: string;
  service_order_id: string;
  commercial_order_id: string;
  task_type: string;
  state: TaskState;
  attempts: number;
  max_attempts: number;
  payload: Record<string, unknown>;
  last_error: string | null;
  fault_id: string | null;
  fault_type: FaultType | null;
  started_at: Date | null;
  completed_at: Date | null;
}

/** The columns a move may change besides the state. */
export type TaskChange = Partial<
  Pick<
    TaskRow,
    "attempts" | "last_error" | "fault_id" | "fault_type" | "started_at" | "completed_at"
  >
>;

/** Who moves a task and when. */
export interface MoveContext {
  sql: Sql;
  caller: CallerContext;
  now(): Date;
}

/** The task, locked for this transaction, or undefined when there is none. */
export async function lockTask(sql: Sql, id: string): Promise<TaskRow | undefined> {
  const [row] = await sql<TaskRow[]>`
    select * from provisioning.provisioning_task where id = ${id} for update`;
  return row;
}

/** Inserts a `pending` task with its first history row (one statement). */
export async function insertTask(
  ctx: MoveContext,
  task: Pick<
    TaskRow,
    "id" | "service_id" | "service_order_id" | "commercial_order_id" | "task_type" | "payload"
  >,
  reason: string,
): Promise<TaskRow> {
  // The payload goes as text: a jsonb-typed parameter would be JSON-encoded a second time.
  const [row] = await ctx.sql<TaskRow[]>`
    with inserted as (
      insert into provisioning.provisioning_task (id, service_id, service_order_id,
        commercial_order_id, task_type, payload, tenant_id)
      values (${task.id}, ${task.service_id}, ${task.service_order_id},
        ${task.commercial_order_id}, ${task.task_type}, ${
    JSON.stringify(task.payload)
  }::text::jsonb,
        ${ctx.caller.tenant})
      returning *
    ), ${recordMove(ctx, "inserted", null, reason)}
    select * from inserted`;
  return row;
}

/** Moves `task` to `state` with `change`, with its history row; returns the row as written. */
export async function moveTask(
  ctx: MoveContext,
  task: TaskRow,
  state: TaskState,
  reason: string,
  change: TaskChange = {},
): Promise<TaskRow> {
  const next = { ...task, ...change, state };
  const [row] = await ctx.sql<TaskRow[]>`
    with moved as (
      update provisioning.provisioning_task set state = ${next.state},
        attempts = ${next.attempts}, last_error = ${next.last_error},
        fault_id = ${next.fault_id}, fault_type = ${next.fault_type},
        started_at = ${next.started_at}, completed_at = ${next.completed_at},
        updated_at = ${ctx.now()}
      where id = ${task.id}
      returning *
    ), ${recordMove(ctx, "moved", task.state, reason)}
    select * from moved`;
  return row;
}

/** The history row of the task written by CTE `written`, as a CTE of the same statement. */
function recordMove(
  ctx: MoveContext,
  written: "inserted" | "moved",
  from: TaskState | null,
  reason: string,
) {
  return ctx.sql`history as (
      insert into provisioning.task_state_history (task_id, from_state, to_state, attempts,
        changed_by, reason, event_time, tenant_id)
      select id, ${from}::text, state, attempts, ${ctx.caller.actor}, ${reason}, ${ctx.now()},
        ${ctx.caller.tenant}
      from ${ctx.sql(written)}
    )`;
}
