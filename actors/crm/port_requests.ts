/**
 * Number-port requests (docs/flows.md §4 "MNP", docs/http.md §6.4): created, then approved (straight to
 * `completed`) or rejected, each in one transaction with its events.
 *
 * The inventory effects of an approval (seeding a ported-in number, marking a ported-out one)
 * belong to the inventory and run through {@link PortEffects} in the approval's transaction;
 * the subscription service terminates a ported-out line on the inventory's event.
 *
 * @module
 */
import { currentCaller } from "../../kernel/context.ts";
import type { Pool, Sql } from "../../kernel/db/types.ts";
import { NotFound } from "../../kernel/errors.ts";
import { emit } from "../../kernel/events.ts";
import { randomId } from "../../kernel/ids.ts";
import {
  donorPending,
  pendingRequestFor,
  portTarget,
  requireDirection,
  requireDonorFree,
  requireRejectReason,
  requireTargetForPortOut,
} from "./port_policies.ts";
import { allOf, eq, type Fragment, iso, isUniqueViolation } from "./rows.ts";
import type { PortDirection, PortState } from "./vocab.ts";

/** A port request as the API shows it (camelCase, no `@type`). */
export interface PortRequestView {
  id: string;
  direction: PortDirection;
  donorCarrier: string;
  donorMsisdn: string;
  targetSubscriptionId: string | null;
  requestedPortDate: string;
  state: PortState;
  rejectionReason: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A port request to create; `direction` is checked by the policy. */
export interface NewPortRequest {
  direction: string;
  donorCarrier: string;
  donorMsisdn: string;
  targetSubscriptionId?: string | null;
  /** `YYYY-MM-DD`; informational. */
  requestedPortDate: string;
}

async function portRequestsWhere(
  sql: Sql,
  where: Fragment,
  page = { limit: 1, offset: 0 },
): Promise<PortRequestView[]> {
  const rows = await sql`select *, requested_port_date::text as requested_date
    from crm.port_request where ${where}
    order by seq desc limit ${page.limit} offset ${page.offset}`;
  return rows.map((r) => ({
    id: r.id,
    direction: r.direction,
    donorCarrier: r.donor_carrier,
    donorMsisdn: r.donor_msisdn,
    targetSubscriptionId: r.target_subscription_id,
    requestedPortDate: r.requested_date,
    state: r.state,
    rejectionReason: r.rejection_reason,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  }));
}

/** One port request, or undefined. */
export async function getPortRequest(sql: Sql, id: string): Promise<PortRequestView | undefined> {
  const [found] = await portRequestsWhere(sql, sql`id = ${id}`);
  return found;
}

/** Port requests, newest first, by state and direction. */
export function listPortRequests(
  sql: Sql,
  q: { state?: string; direction?: string; limit: number; offset: number },
): Promise<PortRequestView[]> {
  return portRequestsWhere(
    sql,
    allOf(sql, [...eq(sql, "state", q.state), ...eq(sql, "direction", q.direction)]),
    q,
  );
}

function portEvent(sql: Sql, type: string, id: string, payload: Record<string, unknown>) {
  return emit(sql, {
    type: `port_request.${type}`,
    aggregateType: "port_request",
    aggregateId: id,
    payload: { portRequestId: id, ...payload },
  });
}

/** Creates a `requested` port request. */
export function createPortRequest(sql: Pool, p: NewPortRequest): Promise<PortRequestView> {
  return sql.begin(async (tx) => {
    const direction = requireDirection(p.direction);
    requireTargetForPortOut(direction, p.targetSubscriptionId);
    const tenant = currentCaller().tenant;
    await requireDonorFree(tx, p.donorMsisdn, tenant);
    const id = randomId("PORT", true);
    try {
      await tx`insert into crm.port_request (id, direction, donor_carrier, donor_msisdn,
          target_subscription_id, requested_port_date, tenant_id)
        values (${id}, ${direction}, ${p.donorCarrier}, ${p.donorMsisdn},
          ${p.targetSubscriptionId ?? null}, ${p.requestedPortDate}, ${tenant})`;
    } catch (e) {
      // A concurrent request for the same number committed first.
      if (!isUniqueViolation(e, "uq_port_request_donor_pending")) throw e;
      throw donorPending(p.donorMsisdn, await pendingRequestFor(sql, p.donorMsisdn, tenant));
    }
    await portEvent(tx, "created", id, {
      direction,
      donorCarrier: p.donorCarrier,
      donorMsisdn: p.donorMsisdn,
      targetSubscriptionId: p.targetSubscriptionId ?? null,
      requestedPortDate: p.requestedPortDate,
    });
    return (await getPortRequest(tx, id))!;
  });
}

/** The request, locked for this transaction; unknown → 404. */
async function lockPortRequest(sql: Sql, id: string) {
  const [row] = await sql<
    { id: string; state: PortState; direction: string; donor_msisdn: string; target: string }[]
  >`select id, state, direction, donor_msisdn, target_subscription_id as target
    from crm.port_request where id = ${id} for update`;
  if (!row) throw new NotFound("PortRequest", id);
  return row;
}

/** The facts of an approved port that the number pool acts on. */
export interface PortFacts {
  portRequestId: string;
  msisdn: string;
  targetSubscriptionId: string | null;
}

/** What the number pool does when a port is approved, inside the approval's transaction. */
export interface PortEffects {
  /** The donor's number joins the pool. */
  portedIn(tx: Sql, port: PortFacts): Promise<void>;
  /** The number leaves for another carrier with the line it served. */
  portedOut(tx: Sql, port: PortFacts & { targetSubscriptionId: string }): Promise<void>;
}

/**
 * Approves a pending request: it completes (`port_request.approved` + `.completed`) and the
 * number pool applies the port through `effects`, all in one transaction.
 */
export function approvePortRequest(
  sql: Pool,
  id: string,
  effects: PortEffects,
): Promise<PortRequestView> {
  return sql.begin(async (tx) => {
    const p = await lockPortRequest(tx, id);
    const to = portTarget(p.state, "approve");
    await tx`update crm.port_request set state = ${to}, updated_at = kernel.bss_now()
      where id = ${id}`;
    await portEvent(tx, "approved", id, {
      direction: p.direction,
      donorMsisdn: p.donor_msisdn,
      targetSubscriptionId: p.target,
    });
    await portEvent(tx, "completed", id, { direction: p.direction });
    const facts = { portRequestId: id, msisdn: p.donor_msisdn, targetSubscriptionId: p.target };
    if (p.direction === "port_in") await effects.portedIn(tx, facts);
    // A port-out names its line (port_request.create.target_sub_required_for_port_out).
    else await effects.portedOut(tx, { ...facts, targetSubscriptionId: p.target! });
    return (await getPortRequest(tx, id))!;
  });
}

/** Rejects a pending request with a reason. */
export function rejectPortRequest(sql: Pool, id: string, reason: string): Promise<PortRequestView> {
  return sql.begin(async (tx) => {
    const p = await lockPortRequest(tx, id);
    const to = portTarget(p.state, "reject");
    const why = requireRejectReason(reason);
    await tx`update crm.port_request set state = ${to}, rejection_reason = ${why},
        updated_at = kernel.bss_now()
      where id = ${id}`;
    await portEvent(tx, "rejected", id, {
      direction: p.direction,
      donorMsisdn: p.donor_msisdn,
      reason: why,
    });
    return (await getPortRequest(tx, id))!;
  });
}
