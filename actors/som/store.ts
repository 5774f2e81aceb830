/**
 * SOM's writes inside a service order actor's turn: state moves of the service order and its
 * services (checked against their state machines, with history), and the CFS task book.
 *
 * @module
 */
import { PolicyViolation } from "../../kernel/errors.ts";
import type { Turn } from "../runtime/types.ts";
import {
  type CfsCharacteristics,
  SERVICE_ORDER_TRANSITIONS,
  SERVICE_TRANSITIONS,
  type ServiceOrderRow,
  type ServiceOrderState,
  type ServiceRow,
  type ServiceState,
} from "./model.ts";

function assertMove<S extends string>(
  rule: string,
  table: Record<S, readonly S[]>,
  from: S,
  to: S,
): void {
  const allowed = table[from];
  if (!allowed.includes(to)) {
    // A broken invariant inside the pipeline, not a caller's mistake: it must not pass silently.
    throw new PolicyViolation(rule, `cannot go from ${from} to ${to}`, {
      current_state: from,
      target_state: to,
      allowed,
    });
  }
}

/** Moves the service order (`service_order.transition.invalid`). */
export async function moveServiceOrder(
  turn: Turn,
  so: ServiceOrderRow,
  to: ServiceOrderState,
  reason: string | null = null,
): Promise<void> {
  assertMove("service_order.transition.invalid", SERVICE_ORDER_TRANSITIONS, so.state, to);
  const now = turn.now();
  await turn.sql`
    update service_inventory.service_order set state = ${to},
      started_at = case when ${to} = 'in_progress' then ${now}::timestamptz else started_at end,
      completed_at = case when ${to} in ('completed', 'failed', 'cancelled')
        then ${now}::timestamptz else completed_at end,
      state_reason = coalesce(${reason}, state_reason), updated_at = now()
    where id = ${so.id}`;
  so.state = to;
}

/** Moves services (`service.transition.invalid`), stamping activated_at/terminated_at. */
export async function moveServices(
  turn: Turn,
  services: ServiceRow[],
  to: ServiceState,
  reason: string,
): Promise<void> {
  for (const s of services) {
    assertMove("service.transition.invalid", SERVICE_TRANSITIONS, s.state, to);
  }
  const now = turn.now();
  const ids = services.map((s) => s.id);
  // Both statements go out at once (one round trip).
  await Promise.all([
    turn.sql`
    update service_inventory.service set state = ${to},
      activated_at = case when ${to} = 'activated' then ${now}::timestamptz else activated_at end,
      terminated_at = case when ${to} = 'terminated' then ${now}::timestamptz
        else terminated_at end,
      updated_at = now()
    where id = any(${ids})`,
    insertHistory(turn, services.map((s) => ({ id: s.id, from: s.state, to, reason })), now),
  ]);
  for (const s of services) s.state = to;
}

/** One history row per service move, attributed to the turn's caller at the BSS now. */
export function insertHistory(
  turn: Turn,
  moves: { id: string; from: string | null; to: string; reason: string }[],
  at = turn.now(),
) {
  const now = at.toISOString();
  return turn.sql`
    insert into service_inventory.service_state_history
      (service_id, from_state, to_state, changed_by, reason, event_time)
    select * from unnest(${moves.map((m) => m.id)}::text[], ${moves.map((m) => m.from)}::text[],
      ${moves.map((m) => m.to)}::text[], ${moves.map(() => turn.caller.actor)}::text[],
      ${moves.map((m) => m.reason)}::text[], ${moves.map(() => now)}::timestamptz[])`;
}

/** Writes the CFS characteristics back. */
export async function saveCharacteristics(
  turn: Turn,
  cfs: ServiceRow,
  characteristics: CfsCharacteristics,
): Promise<void> {
  cfs.characteristics = characteristics as unknown as Record<string, unknown>;
  await turn.sql`
    update service_inventory.service
    set characteristics = ${JSON.stringify(characteristics)}::text::jsonb, updated_at = now()
    where id = ${cfs.id}`;
}

/** The CFS and RFS of a service order. */
export function split(services: ServiceRow[]): { cfs: ServiceRow; rfs: ServiceRow[] } {
  const cfs = services.find((s) => s.type === "CFS");
  if (!cfs) throw new Error(`service order ${services[0]?.service_order_id} has no CFS`);
  return { cfs, rfs: services.filter((s) => s.type === "RFS") };
}

/** The CFS characteristics, typed. */
export function characteristicsOf(cfs: ServiceRow): CfsCharacteristics {
  return cfs.characteristics as unknown as CfsCharacteristics;
}
