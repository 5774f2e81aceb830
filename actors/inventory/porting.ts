/**
 * The inventory side of an approved number port (docs/domain.md §3, docs/flows.md §4 "MNP"),
 * run in the port request's approval transaction. A port-in adds the donor's number to the
 * pool (assigned to its target line when the request names one); a port-out marks the number
 * `ported_out`, which no pick ever takes again. Each emits its event on the number.
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import { currentCaller } from "../../kernel/context.ts";
import type { Sql } from "../../kernel/db/types.ts";
import { emit } from "../../kernel/events.ts";
import { lockMsisdn, updateMsisdn } from "./msisdn_store.ts";

function msisdnEvent(tx: Sql, type: string, msisdn: string, payload: Record<string, unknown>) {
  return emit(tx, {
    type: `inventory.msisdn.${type}`,
    aggregateType: "msisdn",
    aggregateId: msisdn,
    payload: { msisdn, ...payload },
  });
}

/**
 * Seeds a ported-in number: `available`, or `assigned` to `targetSubscriptionId`. A number
 * already in the pool is left as it is (`seeded: false`). Emits
 * `inventory.msisdn.seeded_from_port_in`.
 */
export async function seedPortedIn(
  tx: Sql,
  port: { portRequestId: string; msisdn: string; targetSubscriptionId: string | null },
): Promise<void> {
  const at = clock.now();
  const status = port.targetSubscriptionId ? "assigned" : "available";
  const inserted = await tx`
    insert into inventory.msisdn_pool
      (msisdn, tenant_id, status, assigned_to_subscription_id, created_at, updated_at)
    values (${port.msisdn}, ${currentCaller().tenant}, ${status},
      ${port.targetSubscriptionId}, ${at}, ${at})
    on conflict do nothing`;
  await msisdnEvent(tx, "seeded_from_port_in", port.msisdn, {
    portRequestId: port.portRequestId,
    status,
    targetSubscriptionId: port.targetSubscriptionId,
    seeded: inserted.count === 1,
  });
}

/**
 * Marks a ported-out number `ported_out` (404 when it is not one of ours) and emits
 * `inventory.msisdn.ported_out` with the line it served, which the subscription service
 * terminates without returning the number to the pool.
 */
export async function markPortedOut(
  tx: Sql,
  port: { portRequestId: string; msisdn: string; targetSubscriptionId: string },
): Promise<void> {
  const at = clock.now();
  await lockMsisdn(tx, port.msisdn, at);
  await updateMsisdn(tx, port.msisdn, at, {
    status: "ported_out",
    reserved_at: null,
    quarantine_until: null,
  });
  await msisdnEvent(tx, "ported_out", port.msisdn, {
    portRequestId: port.portRequestId,
    subscriptionId: port.targetSubscriptionId,
  });
}
