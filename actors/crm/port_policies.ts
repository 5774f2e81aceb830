/**
 * Port request rules (docs/domain.md §4.1, docs/flows.md §4 "MNP"), one function per rule family.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import { PolicyViolation } from "../../kernel/errors.ts";
import { firesFrom, nextState } from "./fsm.ts";
import { PORT_MACHINE, type PortTrigger } from "./port_machine.ts";
import { PORT_DIRECTIONS, type PortDirection, type PortState } from "./vocab.ts";

/** `port_request.create.direction_valid`: `port_in` or `port_out`. */
export function requireDirection(direction: string): PortDirection {
  if ((PORT_DIRECTIONS as readonly string[]).includes(direction)) return direction as PortDirection;
  throw new PolicyViolation(
    "port_request.create.direction_valid",
    `direction must be one of ${PORT_DIRECTIONS.join(", ")}`,
    { direction },
  );
}

/** `port_request.create.target_sub_required_for_port_out`: a port-out names its line. */
export function requireTargetForPortOut(direction: PortDirection, target?: string | null): void {
  if (direction !== "port_out" || target) return;
  throw new PolicyViolation(
    "port_request.create.target_sub_required_for_port_out",
    "a port_out request needs targetSubscriptionId",
    { direction },
  );
}

/** The violation of `port_request.create.donor_msisdn_unique_among_pending`. */
export function donorPending(
  msisdn: string,
  existing: { id: string; state: string } | undefined,
): PolicyViolation {
  return new PolicyViolation(
    "port_request.create.donor_msisdn_unique_among_pending",
    `a pending port request for ${msisdn} exists`,
    {
      donor_msisdn: msisdn,
      existing_id: existing?.id ?? null,
      existing_state: existing?.state ?? null,
    },
  );
}

/** The tenant's pending (`requested|validated`) request for `msisdn`, if any. */
export async function pendingRequestFor(
  sql: Sql,
  msisdn: string,
  tenant: string,
): Promise<{ id: string; state: string } | undefined> {
  const [row] = await sql<{ id: string; state: string }[]>`select id, state
    from crm.port_request
    where donor_msisdn = ${msisdn} and tenant_id = ${tenant} and state in ('requested', 'validated')`;
  return row;
}

/**
 * `port_request.create.donor_msisdn_unique_among_pending`: one pending request per donor
 * number in a tenant. The partial unique index is the backstop for concurrent creates.
 */
export async function requireDonorFree(sql: Sql, msisdn: string, tenant: string): Promise<void> {
  const existing = await pendingRequestFor(sql, msisdn, tenant);
  if (existing) throw donorPending(msisdn, existing);
}

/** `port_request.transition.valid`: the state `trigger` leads to from `state`. */
export function portTarget(state: PortState, trigger: PortTrigger): PortState {
  const to = nextState(PORT_MACHINE, state, trigger);
  if (to) return to;
  throw new PolicyViolation(
    "port_request.transition.valid",
    `${trigger} is not allowed from ${state} (only from ${firesFrom(PORT_MACHINE, trigger)})`,
    { from_state: state, trigger },
  );
}

/** `port_request.reject.requires_reason`: a rejection says why. */
export function requireRejectReason(reason: string): string {
  if (reason.trim()) return reason.trim();
  throw new PolicyViolation("port_request.reject.requires_reason", "a rejection needs a reason");
}
