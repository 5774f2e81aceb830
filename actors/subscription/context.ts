/**
 * What every subscription handler works with: the turn, the other services (its ports), and
 * its own row.
 *
 * @module
 */
import { NotFound } from "../../kernel/errors.ts";
import type { Turn } from "../runtime/types.ts";
import type { SubscriptionRow } from "./rows.ts";
import type { SubscriptionPorts } from "./ports.ts";

/** A handler's context. */
export interface Ctx {
  turn: Turn;
  ports: SubscriptionPorts;
}

/** The actor's own subscription, locked for the turn; never created → 404. */
export async function requireSubscription(turn: Turn): Promise<SubscriptionRow> {
  const row = await ownSubscription(turn);
  if (!row) throw new NotFound("Subscription", turn.key);
  return row;
}

/** The actor's own subscription, or undefined (event-driven messages may precede it). */
export async function ownSubscription(turn: Turn): Promise<SubscriptionRow | undefined> {
  const [row] = await turn.sql<SubscriptionRow[]>`
    select * from subscription.subscription where id = ${turn.key} for update`;
  return row;
}
