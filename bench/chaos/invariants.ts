/**
 * What must hold once the system is quiet again after a fault, read straight from Postgres.
 * Each check counts its violations (0 is good) and names a few of them.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";

/** One invariant's verdict. */
export interface Verdict {
  invariant: string;
  violations: number;
  /** A few offending ids. */
  sample: string[];
}

/** The invariant the abandoned-reservation sweeper keeps. */
export const RESERVATIONS = "no reservation without a live order";

const CHECKS: Array<{ invariant: string; query: (sql: Sql) => Promise<{ id: string }[]> }> = [
  {
    invariant: "every submitted order ends completed or failed",
    query: (sql) =>
      sql`
      select id from order_mgmt.product_order where state = 'in_progress'`,
  },
  {
    invariant: "exactly one subscription per completed order",
    query: (sql) =>
      sql`
      select o.id from order_mgmt.product_order o
      where o.state = 'completed'
        and (select count(*) from subscription.subscription s
             where s.commercial_order_id = o.id) <> 1`,
  },
  {
    invariant: "no subscription for a failed order",
    query: (sql) =>
      sql`
      select o.id from order_mgmt.product_order o
      where o.state = 'failed' and exists (select 1 from subscription.subscription s
        where s.commercial_order_id = o.id and s.state <> 'terminated')`,
  },
  {
    // The activation charge is keyed by its order (`activation:<order id>`); and no customer
    // holds more approved activation charges than lines.
    invariant: "one approved first charge per subscription",
    query: (sql) =>
      sql`
      select s.id from subscription.subscription s
      where (select count(*) from payment.payment_attempt p
             where p.idempotency_key = 'activation:' || coalesce(s.commercial_order_id, s.id)
               and p.status = 'approved') <> 1
      union all
      select p.customer_id from payment.payment_attempt p
      where p.purpose = 'activation' and p.status = 'approved'
      group by p.customer_id
      having count(*) > (select count(*) from subscription.subscription s
        where s.customer_id = p.customer_id)`,
  },
  {
    invariant: "no charge kept for a failed order",
    query: (sql) =>
      sql`
      select o.id from order_mgmt.product_order o
      where o.state = 'failed' and exists (select 1 from payment.payment_attempt p
        where p.idempotency_key = 'activation:' || o.id and p.status = 'approved')`,
  },
  {
    invariant: "no MSISDN or eSIM on two live lines",
    query: (sql) =>
      sql`
      select msisdn as id from subscription.subscription where state <> 'terminated'
      group by msisdn having count(*) > 1
      union all
      select iccid from subscription.subscription where state <> 'terminated'
      group by iccid having count(*) > 1`,
  },
  {
    // Measured when no order is in flight: then any reservation is abandoned.
    invariant: RESERVATIONS,
    query: (sql) =>
      sql`
      select msisdn as id from inventory.msisdn_pool where status = 'reserved'
        and not exists (select 1 from order_mgmt.product_order where state = 'in_progress')
      union all
      select iccid from inventory.esim_profile where profile_state = 'reserved'
        and not exists (select 1 from order_mgmt.product_order where state = 'in_progress')`,
  },
  {
    invariant: "no dead letter or parked event",
    query: (sql) =>
      sql`
      select kind || '/' || key || ' ' || type || ': ' || left(last_error, 120) as id
      from actor.dead_letter
      union all
      select queue || ' ' || event_type || ': ' || left(reason, 120) from bus.parked`,
  },
  {
    invariant: "no event lost (all relayed)",
    query: (sql) =>
      sql`
      select event_id::text as id from bus.outbox
      union all
      select event_id::text from audit.domain_event where not published_to_mq`,
  },
  {
    invariant: "no event doubled (one outcome event per order and line)",
    query: (sql) =>
      sql`
      select aggregate_id || ' ' || event_type as id from audit.domain_event
      where event_type in ('order.completed', 'order.failed', 'subscription.activated')
      group by aggregate_id, event_type having count(*) > 1`,
  },
];

/** Runs every check. */
export async function checkInvariants(sql: Sql): Promise<Verdict[]> {
  const out: Verdict[] = [];
  for (const c of CHECKS) {
    const rows = await c.query(sql);
    out.push({
      invariant: c.invariant,
      violations: rows.length,
      sample: rows.slice(0, 3).map((r) => r.id),
    });
  }
  return out;
}

/** What keeps the system from being quiet: orders in flight, mail due, events not relayed. */
export interface Busy {
  ordersInProgress: number;
  /** Messages due now, by actor kind. */
  mailDue: Record<string, number>;
  outbox: number;
}

/** What is still in flight; {@link isQuiet} when nothing is. */
export async function busy(sql: Sql): Promise<Busy> {
  const [r] = await sql<{ orders: number; mail: Record<string, number> | null; outbox: number }[]>`
    select
      (select count(*)::int from order_mgmt.product_order where state = 'in_progress') as orders,
      (select json_object_agg(kind, n) from (select kind, count(*)::int as n from actor.mailbox
        where deliver_at is null or deliver_at <= kernel.bss_now() group by kind) m) as mail,
      (select count(*)::int from bus.outbox) as outbox`;
  return { ordersInProgress: r.orders, mailDue: r.mail ?? {}, outbox: r.outbox };
}

/** Whether nothing is in flight. */
export function isQuiet(b: Busy): boolean {
  return b.ordersInProgress === 0 && Object.keys(b.mailDue).length === 0 && b.outbox === 0;
}

/** `b` in a few words, for progress lines. */
export function describeBusy(b: Busy): string {
  const mail = Object.entries(b.mailDue).map(([kind, n]) => `${n} ${kind}`).join(", ");
  return `${b.ordersInProgress} orders in progress, mail due: ${mail || "none"}, ` +
    `outbox: ${b.outbox}`;
}
