/**
 * The due-renewal sweep behind `POST /admin-api/v1/renewal/tick-now`: every active or blocked
 * line whose boundary has passed and was not yet attempted gets its `renewal_due` now, and
 * the sweep waits for each, its charge's outcome included (a refusal is the line's own
 * business, not the sweep's failure). Renewals normally ride their timers; the sweep makes a run
 * deterministic (and catches lines whose timer is still queued); like the timers it acts as
 * `system:renewal_worker` on channel `system`, each renewal in a trace of its own linked to the
 * line's activation trace. Running it twice, or beside
 * the timers, renews nothing twice: the actor sees the boundary already attempted.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import type { ActorSystem } from "../runtime/system.ts";
import { currentCaller, withCaller } from "../../kernel/context.ts";
import { inLinkedTrace } from "../../kernel/telemetry/links.ts";
import { awaitCharge, type ChargeReply } from "./charge_intents.ts";
import { renewalWorker } from "./timers.ts";

/** How many lines one sweep takes. */
const BATCH = 100;

/** Renews every due line now; returns how many were due. */
export async function tickRenewalsNow(sql: Sql, system: ActorSystem): Promise<number> {
  const due = await sql<
    { id: string; next_renewal_at: Date; activated_traceparent: string | null }[]
  >`
    select id, next_renewal_at, activated_traceparent from subscription.subscription
    where state in ('active', 'blocked') and next_renewal_at <= kernel.bss_now()
      and (last_renewal_attempted_at is null or last_renewal_attempted_at < next_renewal_at)
    order by next_renewal_at, id limit ${BATCH}`;
  await withCaller(
    renewalWorker(currentCaller()),
    () =>
      Promise.all(due.map((row) =>
        inLinkedTrace(
          "subscription renewal tick",
          row.activated_traceparent,
          { "bss.service": "subscription", "bss.subscription.id": row.id },
          async () => {
            const staged = await system.ask<ChargeReply | null>("subscription", row.id, {
              type: "renewal_due",
              boundary: row.next_renewal_at.toISOString(),
            });
            // The charge runs after the turn; the sweep is done when its outcome is applied.
            if (staged?.state === "running") {
              await awaitCharge(sql, staged.chargeKey, system.options.askTimeoutMs).catch(() => {});
            }
          },
        )
      )),
  );
  return due.length;
}
