/**
 * Provisioning tasks over HTTP (docs/http.md §9.5): read, list, history, and the operator's
 * resolve (stuck → pending, with a note) and retry (failed → pending). Tasks are created only
 * from `provisioning.task.created` events; writes go to the task actor.
 *
 * @module
 */
import { z } from "zod";
import { TASK_KIND } from "../../actors/provisioning/run.ts";
import * as tasks from "../../actors/provisioning/queries.ts";
import { TASK_STATES } from "../../actors/provisioning/vocab.ts";
import { NotFound } from "../../kernel/errors.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { paging } from "../paging.ts";
import { Task, TaskMove } from "./schemas.ts";

const PREFIX = "/provisioning-api/v1";
const Id = z.object({ id: z.string() });

/** `GET /task`: newest first, by service and/or state. */
export const listTasks = defineRoute({
  method: "GET",
  path: `${PREFIX}/task`,
  summary: "Provisioning tasks, newest first; filter by service and state",
  query: z.object({
    serviceId: z.string().optional(),
    state: z.enum(TASK_STATES).optional(),
    ...paging(100),
  }),
  response: z.array(Task),
});

/** `GET /task/{id}`. */
export const getTask = defineRoute({
  method: "GET",
  path: `${PREFIX}/task/:id`,
  summary: "One provisioning task",
  params: Id,
  response: Task,
});

/** `GET /task/{id}/history`: every state move, oldest first. */
export const getTaskHistory = defineRoute({
  method: "GET",
  path: `${PREFIX}/task/:id/history`,
  summary: "A provisioning task's state moves with their reasons and notes",
  params: Id,
  response: z.array(TaskMove),
});

/** `POST /task/{id}/resolve`: a stuck task back to pending with a note, and re-run. */
export const resolveTask = defineRoute({
  method: "POST",
  path: `${PREFIX}/task/:id/resolve`,
  summary: "Resolve a stuck task with a note (it runs again)",
  params: Id,
  body: z.object({ note: z.string() }),
  response: Task,
});

/** `POST /task/{id}/retry`: a failed task back to pending, attempts reset, and re-run. */
export const retryTask = defineRoute({
  method: "POST",
  path: `${PREFIX}/task/:id/retry`,
  summary: "Retry a failed task (attempts reset; it runs again)",
  params: Id,
  response: Task,
});

/** The task endpoints. */
export function taskEndpoints({ sql, system }: Pick<Deps, "sql" | "system">): Endpoint[] {
  const found = async (id: string) => {
    if (!await tasks.taskExists(sql, id)) throw new NotFound("ProvisioningTask", id);
    return id;
  };
  return [
    endpoint(listTasks, ({ query }) => tasks.listTasks(sql, query)),
    endpoint(getTask, async ({ params }) => {
      const task = await tasks.getTask(sql, params.id);
      if (!task) throw new NotFound("ProvisioningTask", params.id);
      return task;
    }),
    endpoint(getTaskHistory, async ({ params }) => tasks.taskHistory(sql, await found(params.id))),
    endpoint(
      resolveTask,
      async ({ params, body }) =>
        system.ask<tasks.TaskView>(TASK_KIND, await found(params.id), {
          type: "resolve",
          note: body.note,
        }),
    ),
    endpoint(
      retryTask,
      async ({ params }) =>
        system.ask<tasks.TaskView>(TASK_KIND, await found(params.id), { type: "retry" }),
    ),
  ];
}
