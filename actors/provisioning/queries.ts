/**
 * Reads of tasks and their history, in the wire shape of docs/http.md §9.5 (camelCase, TMF
 * `@type` and `href`, nulls kept).
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import type { TaskRow } from "./task_store.ts";
import type { TaskState } from "./vocab.ts";

/** Where tasks live on the wire. */
export const TASK_PATH = "/provisioning-api/v1/task";

/** A task as the API shows it. */
export interface TaskView {
  "@type": "ProvisioningTask";
  id: string;
  href: string;
  serviceId: string;
  serviceOrderId: string;
  commercialOrderId: string;
  taskType: string;
  state: TaskState;
  attempts: number;
  maxAttempts: number;
  payload: Record<string, unknown>;
  lastError: string | null;
  startedAt: string | null;
  completedAt: string | null;
}

/** One state move of a task. */
export interface TaskMoveView {
  fromState: TaskState | null;
  toState: TaskState;
  attempts: number;
  changedBy: string;
  reason: string;
  eventTime: string;
}

const iso = (at: Date | null) => at?.toISOString() ?? null;

/** The wire form of a task row. */
export function taskView(row: TaskRow): TaskView {
  return {
    "@type": "ProvisioningTask",
    id: row.id,
    href: `${TASK_PATH}/${row.id}`,
    serviceId: row.service_id,
    serviceOrderId: row.service_order_id,
    commercialOrderId: row.commercial_order_id,
    taskType: row.task_type,
    state: row.state,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    payload: row.payload,
    lastError: row.last_error,
    startedAt: iso(row.started_at),
    completedAt: iso(row.completed_at),
  };
}

/** One task, or undefined. */
export async function getTask(sql: Sql, id: string): Promise<TaskView | undefined> {
  const [row] = await sql<TaskRow[]>`
    select * from provisioning.provisioning_task where id = ${id}`;
  return row && taskView(row);
}

/** Whether the task exists. */
export async function taskExists(sql: Sql, id: string): Promise<boolean> {
  const [row] = await sql`select 1 from provisioning.provisioning_task where id = ${id}`;
  return row !== undefined;
}

/** Tasks newest first, optionally of one service and/or in one state. */
export async function listTasks(
  sql: Sql,
  q: { serviceId?: string; state?: TaskState; limit: number; offset: number },
): Promise<TaskView[]> {
  const rows = await sql<TaskRow[]>`
    select * from provisioning.provisioning_task
    where (${q.serviceId ?? null}::text is null or service_id = ${q.serviceId ?? null})
      and (${q.state ?? null}::text is null or state = ${q.state ?? null})
    order by seq desc limit ${q.limit} offset ${q.offset}`;
  return rows.map(taskView);
}

/** The task's state moves, oldest first. */
export async function taskHistory(sql: Sql, id: string): Promise<TaskMoveView[]> {
  const rows = await sql<
    {
      from_state: TaskState | null;
      to_state: TaskState;
      attempts: number;
      changed_by: string;
      reason: string;
      event_time: Date;
    }[]
  >`
    select from_state, to_state, attempts, changed_by, reason, event_time
    from provisioning.task_state_history where task_id = ${id} order by id`;
  return rows.map((r) => ({
    fromState: r.from_state,
    toState: r.to_state,
    attempts: r.attempts,
    changedBy: r.changed_by,
    reason: r.reason,
    eventTime: r.event_time.toISOString(),
  }));
}
