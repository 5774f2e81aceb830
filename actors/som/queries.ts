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

/**
 * The commercial order's service order and its services (`type`, then id), both asked at
 * once: one round trip. No service order → `undefined` and no services.
 */
export async function serviceOrderWithServices(
  sql: Sql,
  commercialOrderId: string,
): Promise<{ so: ServiceOrderRow | undefined; services: ServiceRow[] }> {
  const [so, services] = await Promise.all([
    serviceOrderOf(sql, commercialOrderId),
    sql<ServiceRow[]>`
      select s.* from service_inventory.service s
      join service_inventory.service_order o on o.id = s.service_order_id
      where o.commercial_order_id = ${commercialOrderId}
      order by s.type, s.id`,
  ]);
  return { so, services: so ? services : [] };
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

/** Which service orders a list takes. */
export interface ServiceOrderFilter {
  state?: string;
  commercialOrderId?: string;
}

const serviceOrdersWhere = (sql: Sql, q: ServiceOrderFilter) =>
  sql`(${q.commercialOrderId ?? null}::text is null
      or commercial_order_id = ${q.commercialOrderId ?? null})
    and (${q.state ?? null}::text is null or state = ${q.state ?? null})`;

/** Service orders in id order, all or those of one commercial order, a page at a time. */
export async function listServiceOrders(
  sql: Sql,
  q: ListPage & ServiceOrderFilter,
): Promise<ServiceOrderWithItems[]> {
  const rows = await sql<ServiceOrderRow[]>`
    select * from service_inventory.service_order where ${serviceOrdersWhere(sql, q)}
    order by length(id), id limit ${q.limit} offset ${q.offset}`;
  return await withItems(sql, rows);
}

/** How many service orders `filter` takes. */
export async function countServiceOrders(sql: Sql, filter: ServiceOrderFilter): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n
    from service_inventory.service_order where ${serviceOrdersWhere(sql, filter)}`;
  return n;
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

/** Which top-level services a list takes. */
export interface ServiceFilter {
  state?: string;
  subscriptionId?: string;
}

const servicesWhere = (sql: Sql, q: ServiceFilter) =>
  sql`parent_service_id is null
    and (${q.subscriptionId ?? null}::text is null or subscription_id = ${q.subscriptionId ?? null})
    and (${q.state ?? null}::text is null or state = ${q.state ?? null})`;

/** Top-level services (each with its children), all or one subscription's, a page at a time. */
export async function listServices(
  sql: Sql,
  q: ListPage & ServiceFilter,
): Promise<ServiceTree[]> {
  const rows = await sql<ServiceRow[]>`
    select * from service_inventory.service where ${servicesWhere(sql, q)}
    order by length(id), id limit ${q.limit} offset ${q.offset}`;
  return await treesOf(sql, rows);
}

/** How many top-level services `filter` takes. */
export async function countServices(sql: Sql, filter: ServiceFilter): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n
    from service_inventory.service where ${servicesWhere(sql, filter)}`;
  return n;
}
