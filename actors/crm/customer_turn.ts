/**
 * What every customer-actor handler starts and ends with: its own customer row, and events
 * on its own aggregate.
 *
 * @module
 */
import type { Turn } from "../runtime/types.ts";
import { NotFound } from "../../kernel/errors.ts";

/** The columns handlers decide on. */
export interface CustomerRow {
  id: string;
  party_id: string;
  status: string;
}

/** The actor's own customer row; a customer that was never created → 404. */
export async function requireCustomer(turn: Turn): Promise<CustomerRow> {
  const [row] = await turn.sql<CustomerRow[]>`
    select id, party_id, status from crm.customer where id = ${turn.key}`;
  if (!row) throw new NotFound("Customer", turn.key);
  return row;
}

/** Stages a `customer.*` event on the actor's customer. */
export function emitCustomerEvent(
  turn: Turn,
  type: string,
  payload: Record<string, unknown>,
): void {
  turn.emit({ type, aggregateType: "customer", aggregateId: turn.key, payload });
}
