/**
 * Reads of service orders and services (TMF641/TMF638).
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import { NotFound } from "../../kernel/errors.ts";
import type { ServiceOrderItemRow, ServiceOrderRow, ServiceRow } from "./model.ts";

/** A service order with its items. */
export type ServiceOrderWithItems = ServiceOrderRow & { items: ServiceOrderItemRow[] };

async function withItems(sql: Sql, orders: ServiceOrderRow[]): Promise<ServiceOrderWithItems[]> {
  if (orders.length === 0) return [];
  const items = await sql<ServiceOrderItemRow[]>`
    select * from service_inventory.service_order_item
    where service_order_id = any(${orders.map((o) => o.id)}) order by id`;
  return orders.map((o) => ({ ...o, items: items.filter((i) => i.service_order_id === o.id) }));
}

/** The service order of a commercial order, or undefined. */
export async function serviceOrderOf(
  sql: Sql,
  commercialOrderId: string,
): Promise<ServiceOrderRow | undefined> {
  const [row] = await sql<ServiceOrderRow[]>`
    select * from service_inventory.service_order
    where commercial_order_id = ${commercialOrderId}`;
  return row;
}

/** One service order with its items; NotFound when unknown. */
export async function getServiceOrder(sql: Sql, id: string): Promise<ServiceOrderWithItems> {
  const rows = await sql<ServiceOrderRow[]>`
    select * from service_inventory.service_order where id = ${id}`;
  if (rows.length === 0) throw new NotFound("ServiceOrder", id);
  return (await withItems(sql, rows))[0];
}

/** A page of a list, optionally narrowed to one state. */
export interface ListPage {
  state?: string;
  limit: number;
  offset: number;
}

/** Service orders in id order, all or those of one commercial order, a page at a time. */
export async function listServiceOrders(
  sql: Sql,
  q: ListPage & { commercialOrderId?: string },
): Promise<ServiceOrderWithItems[]> {
  const rows = await sql<ServiceOrderRow[]>`
    select * from service_inventory.service_order
    where (${q.commercialOrderId ?? null}::text is null
        or commercial_order_id = ${q.commercialOrderId ?? null})
      and (${q.state ?? null}::text is null or state = ${q.state ?? null})
    order by length(id), id limit ${q.limit} offset ${q.offset}`;
  return await withItems(sql, rows);
}

/** The services of a service order, CFS first. */
export async function servicesOfOrder(sql: Sql, serviceOrderId: string): Promise<ServiceRow[]> {
  return await sql<ServiceRow[]>`
    select * from service_inventory.service where service_order_id = ${serviceOrderId}
    order by type, id`;
}

/** A service and every service under it, any depth. */
export interface ServiceTree extends ServiceRow {
  children: ServiceTree[];
}

async function treesOf(sql: Sql, roots: ServiceRow[]): Promise<ServiceTree[]> {
  if (roots.length === 0) return [];
  const all = await sql<ServiceRow[]>`
    with recursive tree as (
      select * from service_inventory.service where parent_service_id = any(${
    roots.map((r) => r.id)
  })
      union all
      select s.* from service_inventory.service s join tree t on s.parent_service_id = t.id
    ) select * from tree order by id`;
  const build = (row: ServiceRow): ServiceTree => ({
    ...row,
    children: all.filter((c) => c.parent_service_id === row.id).map(build),
  });
  return roots.map(build);
}

/** One service with its children; NotFound when unknown. */
export async function getService(sql: Sql, id: string): Promise<ServiceTree> {
  const rows = await sql<ServiceRow[]>`select * from service_inventory.service where id = ${id}`;
  if (rows.length === 0) throw new NotFound("Service", id);
  return (await treesOf(sql, rows))[0];
}

/** Top-level services (each with its children), all or one subscription's, a page at a time. */
export async function listServices(
  sql: Sql,
  q: ListPage & { subscriptionId?: string },
): Promise<ServiceTree[]> {
  const rows = await sql<ServiceRow[]>`
    select * from service_inventory.service
    where parent_service_id is null
      and (${q.subscriptionId ?? null}::text is null or subscription_id = ${
    q.subscriptionId ?? null
  })
      and (${q.state ?? null}::text is null or state = ${q.state ?? null})
    order by length(id), id limit ${q.limit} offset ${q.offset}`;
  return await treesOf(sql, rows);
}
