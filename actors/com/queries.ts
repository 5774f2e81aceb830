/**
 * Reads of product orders: one with its item, a filtered page, and a locked read for the
 * order actor's turns.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import { NotFound } from "../../kernel/errors.ts";
import type { OrderItemRow, OrderRow, OrderState } from "./model.ts";

const ITEM_COLUMNS = `id, action, offering_id, state, target_subscription_id,
  price_amount::text as price_amount, price_currency, price_offering_price_id, discount_code,
  promo_offer_definition_id, discount_type, discount_value::text as discount_value,
  discount_periods_total, promo_offer_id`;

type ItemRow = OrderItemRow & { order_id: string };

// Prepared like the tagged statements (`unsafe` is not by default): planned once per connection.
const itemsOf = (sql: Sql, orderIds: string[]) =>
  sql.unsafe<ItemRow[]>(
    `select order_id, ${ITEM_COLUMNS} from order_mgmt.order_item
     where order_id = any($1) order by id`,
    [orderIds],
    { prepare: true },
  );

async function withItems(
  sql: Sql,
  orders: Omit<OrderRow, "items">[],
  known?: ItemRow[],
): Promise<OrderRow[]> {
  if (orders.length === 0) return [];
  const items = known ?? await itemsOf(sql, orders.map((o) => o.id));
  return orders.map((o) => ({
    ...o,
    items: items.filter((i) => i.order_id === o.id).map(({ order_id: _, ...item }) => item),
  }));
}

/** One order with its item, or undefined. */
export async function findOrder(sql: Sql, id: string): Promise<OrderRow | undefined> {
  // The order and its items asked at once: one round trip.
  const [rows, items] = await Promise.all([
    sql<Omit<OrderRow, "items">[]>`select * from order_mgmt.product_order where id = ${id}`,
    itemsOf(sql, [id]),
  ]);
  return (await withItems(sql, rows, items))[0];
}

/** One order with its item; NotFound when unknown. */
export async function getOrder(sql: Sql, id: string): Promise<OrderRow> {
  const order = await findOrder(sql, id);
  if (!order) throw new NotFound("ProductOrder", id);
  return order;
}

/** Filters of the order list. */
export interface OrderFilter {
  customerId?: string;
  state?: OrderState;
}

const ordersWhere = (sql: Sql, f: OrderFilter) =>
  sql`(${f.customerId ?? null}::text is null or customer_id = ${f.customerId ?? null})
    and (${f.state ?? null}::text is null or state = ${f.state ?? null})`;

/** Orders newest first, all customers unless one is named. */
export async function listOrders(
  sql: Sql,
  f: OrderFilter & { limit: number; offset: number },
): Promise<OrderRow[]> {
  const rows = await sql<Omit<OrderRow, "items">[]>`
    select * from order_mgmt.product_order where ${ordersWhere(sql, f)}
    order by order_date desc, length(id) desc, id desc limit ${f.limit} offset ${f.offset}`;
  return await withItems(sql, rows);
}

/** How many orders `filter` takes. */
export async function countOrders(sql: Sql, filter: OrderFilter): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`
    select count(*)::int as n from order_mgmt.product_order where ${ordersWhere(sql, filter)}`;
  return n;
}
