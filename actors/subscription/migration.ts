/**
 * The operator's price migration (docs/flows.md §3.3): checks the new price against the offering,
 * then tells every active or blocked line on it, each in its own actor turn.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import type { ActorSystem } from "../runtime/system.ts";
import { migrationPriceError } from "./policies.ts";
import type { SubscriptionPorts } from "./ports.ts";

const DAY_MS = 24 * 3600 * 1000;

/** A migration request. */
export interface MigrationRequest {
  offeringId: string;
  newPriceId: string;
  effectiveFrom: Date;
  noticeDays: number;
  initiatedBy: string;
}

/** Schedules the migration on every live line of the offering; returns the lines. */
export async function migratePrices(
  sql: Sql,
  system: ActorSystem,
  ports: SubscriptionPorts,
  r: MigrationRequest,
): Promise<{ count: number; subscriptionIds: string[] }> {
  const prices = await ports.offeringPrices(r.offeringId);
  const price = prices?.find((p) => p.id === r.newPriceId);
  if (!price) {
    const known = prices !== null && (await ports.priceById(r.newPriceId)) !== null;
    throw migrationPriceError(r.offeringId, r.newPriceId, known);
  }
  const effectiveAt = new Date(r.effectiveFrom.getTime() + r.noticeDays * DAY_MS).toISOString();
  const lines = await sql<{ id: string }[]>`
    select id from subscription.subscription
    where offering_id = ${r.offeringId} and state in ('active', 'blocked') order by id`;
  const moved: string[] = [];
  for (const { id } of lines) {
    const scheduled = await system.ask<boolean>("subscription", id, {
      type: "price_migration",
      newPriceId: price.id,
      newAmount: price.amount,
      newCurrency: price.currency,
      effectiveAt,
      initiatedBy: r.initiatedBy,
    });
    if (scheduled) moved.push(id);
  }
  return { count: moved.length, subscriptionIds: moved };
}
