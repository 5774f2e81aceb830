/**
 * `POST /admin-api/v1/reset-operational-data` (docs/http.md §10): one transaction that truncates
 * the service's operational tables, frees what its plan frees, drops its actors' pending
 * mail and timers, and records `admin.operational_data_reset`. Gated by
 * `BSS_ALLOW_ADMIN_RESET` (403 `ADMIN_RESET_DISABLED`). `?reset_sequences=true` also restarts
 * the service's id sequences, so the next order is `ORD-0001` again.
 *
 * @module
 */
import { z } from "zod";
import { clock } from "../../kernel/clock.ts";
import { currentCaller } from "../../kernel/context.ts";
import type { Sql } from "../../kernel/db/types.ts";
import { stageEvent, writeEvents } from "../../kernel/events.ts";
import type { Deps } from "../env.ts";
import { HttpError } from "../errors.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import type { ResetPlan } from "./reset_plans.ts";

const SchemaOutcome = z.object({
  schema: z.string(),
  truncated: z.array(z.string()),
  updated: z.array(z.string()),
});

/** `POST /admin-api/v1/reset-operational-data`. */
export const resetOperationalData = defineRoute({
  method: "POST",
  path: "/admin-api/v1/reset-operational-data",
  summary: "Clear this service's operational data (reference data kept); flag-gated",
  query: z.object({ reset_sequences: z.enum(["true", "false"]).optional() }),
  response: z.object({
    service: z.string(),
    schemas: z.array(SchemaOutcome),
    sequencesRestarted: z.array(z.string()),
    resetAt: z.iso.datetime({ offset: true }),
  }),
});

async function tablesOf(tx: Sql, schema: string): Promise<string[]> {
  const rows = await tx<{ name: string }[]>`
    select table_name as name from information_schema.tables
    where table_schema = ${schema} and table_type = 'BASE TABLE' order by table_name`;
  return rows.map((r) => r.name);
}

/** Resets `plan` for `service` in one transaction. */
export async function resetService(
  sql: Deps["sql"],
  service: string,
  plan: ResetPlan,
  resetSequences = false,
) {
  return await sql.begin(async (tx) => {
    const schemas: z.infer<typeof SchemaOutcome>[] = [];
    for (const { schema, keep, update } of plan.schemas) {
      const truncated = (await tablesOf(tx, schema)).filter((t) => !keep.includes(t));
      if (truncated.length) {
        const list = truncated.map((t) => `${schema}."${t}"`).join(", ");
        await tx.unsafe(`truncate ${list} restart identity cascade`);
      }
      schemas.push({ schema, truncated, updated: update ? await update(tx) : [] });
    }
    if (plan.kinds.length) {
      const kinds = [...plan.kinds];
      await tx`delete from actor.mailbox where kind = any(${kinds}::text[])`;
      await tx`delete from actor.dead_letter where kind = any(${kinds}::text[])`;
      await tx`delete from actor.actor where kind = any(${kinds}::text[])`;
      // Effects answer to these actors: a staged charge must not outlive the data it was for.
      await tx`delete from effect.effect where reply_kind = any(${kinds}::text[])`;
    }
    // Stored answers to idempotency keys name ids the reset may hand out again: a key replayed
    // after the reset must act afresh, not answer with an order that no longer exists.
    await tx`delete from idempotency.request where scope like ${service + ".%"}`;
    const sequencesRestarted = resetSequences ? [...plan.sequences] : [];
    for (const prefix of sequencesRestarted) {
      await tx.unsafe(`alter sequence kernel.id_${prefix.toLowerCase()} restart`);
    }
    // The marker's channel defaults to `cli` (docs/flows.md §7.2), not `system`.
    const caller = currentCaller();
    const attributed = caller.channel === "system" ? { ...caller, channel: "cli" } : caller;
    const resetAt = clock.now().toISOString();
    await writeEvents(tx, [stageEvent({
      type: "admin.operational_data_reset",
      aggregateType: "service",
      aggregateId: service,
      payload: { service, schemas, sequencesRestarted },
    }, attributed)]);
    return { service, schemas, sequencesRestarted, resetAt };
  });
}

/** The reset route of `service`. */
export function resetEndpoints(
  { config, sql }: Pick<Deps, "config" | "sql">,
  service: string,
  plan: ResetPlan,
): Endpoint[] {
  return [
    endpoint(resetOperationalData, ({ query }) => {
      if (!config.BSS_ALLOW_ADMIN_RESET) {
        throw new HttpError(403, {
          code: "ADMIN_RESET_DISABLED",
          message: "set BSS_ALLOW_ADMIN_RESET to enable the operational data reset",
        });
      }
      return resetService(sql, service, plan, query.reset_sequences === "true");
    }),
  ];
}
