/**
 * Write-side SQL of the MSISDN pool, run inside the caller's transaction and scoped to the
 * caller's tenant. Rows come back with the status they have at the operation's instant.
 *
 * @module
 */
import { currentCaller } from "../../kernel/context.ts";
import type { Sql } from "../../kernel/db/types.ts";
import { currentTraceparent } from "../../kernel/events.ts";
import { NotFound } from "../../kernel/errors.ts";
import { msisdnColumns, type MsisdnRow, type MsisdnStatus } from "./rows.ts";

/** The columns a transition may change. */
export interface MsisdnChange {
  status: MsisdnStatus;
  reserved_at: Date | null;
  assigned_to_subscription_id: string | null;
  quarantine_until: Date | null;
}

/** Available at `at`, as a predicate the pick index can serve. */
function availableAt(sql: Sql, at: Date) {
  return sql`(status = 'available' or (status = 'quarantine' and quarantine_until <= ${at}))`;
}

/** The number, locked for this transaction (waits for other writers), or undefined. */
export async function findForUpdate(
  tx: Sql,
  msisdn: string,
  at: Date,
): Promise<MsisdnRow | undefined> {
  const [row] = await tx<MsisdnRow[]>`
    select ${msisdnColumns(tx, at)} from inventory.msisdn_pool
    where msisdn = ${msisdn} and tenant_id = ${currentCaller().tenant}
    for update`;
  return row;
}

/** The number, locked for this transaction; 404 when the tenant has no such number. */
export async function lockMsisdn(tx: Sql, msisdn: string, at: Date): Promise<MsisdnRow> {
  const row = await findForUpdate(tx, msisdn, at);
  if (!row) throw new NotFound("Msisdn", msisdn);
  return row;
}

/**
 * Reserves the lowest available number (`preferred` narrows the pick to that one number).
 * `SKIP LOCKED` passes over numbers other transactions are taking, so concurrent picks
 * never wait on each other and never hand out the same number.
 */
export async function claimMsisdn(
  tx: Sql,
  at: Date,
  preferred?: string,
): Promise<MsisdnRow | undefined> {
  const only = preferred === undefined ? tx`true` : tx`msisdn = ${preferred}`;
  const [row] = await tx<MsisdnRow[]>`
    update inventory.msisdn_pool set status = 'reserved', reserved_at = ${at},
      reserved_traceparent = ${currentTraceparent()}, assigned_to_subscription_id = null, quarantine_until = null, updated_at = ${at}
    where msisdn = (
      select msisdn from inventory.msisdn_pool
      where tenant_id = ${currentCaller().tenant} and ${only} and ${availableAt(tx, at)}
      order by msisdn limit 1
      for update skip locked)
    returning ${msisdnColumns(tx, at)}`;
  return row;
}

/** Applies `change` to a number this transaction has locked. */
export async function updateMsisdn(
  tx: Sql,
  msisdn: string,
  at: Date,
  change: Partial<MsisdnChange>,
): Promise<MsisdnRow> {
  const [row] = await tx<MsisdnRow[]>`
    update inventory.msisdn_pool set ${tx({ ...change, updated_at: at })}
    where msisdn = ${msisdn} and tenant_id = ${currentCaller().tenant}
    returning ${msisdnColumns(tx, at)}`;
  return row;
}

/**
 * How many numbers of the tenant are available at `at`, counting no further than `cap`: a
 * caller that only asks "at most N left?" reads N + 1 index entries, not the whole pool.
 */
export async function countAvailable(tx: Sql, at: Date, cap: number): Promise<number> {
  const [{ n }] = await tx`
    select count(*)::int as n from (
      select from inventory.msisdn_pool
      where tenant_id = ${currentCaller().tenant} and ${availableAt(tx, at)}
      limit ${cap}) free`;
  return n;
}

/** Inserts `<prefix><i:04d>` for i = 0..count-1 where absent; returns how many were new. */
export async function insertRange(
  tx: Sql,
  prefix: string,
  count: number,
  at: Date,
): Promise<number> {
  const result = await tx`
    insert into inventory.msisdn_pool (msisdn, tenant_id, created_at, updated_at)
    select ${prefix} || lpad(i::text, 4, '0'), ${currentCaller().tenant}, ${at}, ${at}
    from generate_series(0, ${count - 1}::int) as i
    on conflict do nothing`;
  return result.count;
}
