/**
 * TMF622 product orders (docs/http.md §8): create, submit, cancel, read, list.
 *
 * @module
 */
import { z } from "zod";
import { oncePerKey, requestKeyOf } from "../idempotency.ts";
import {
  cancelOrder,
  type OrderDeps,
  placeOrder,
  submitOrder,
} from "../../actors/com/order_commands.ts";
import { countOrders, getOrder, listOrders } from "../../actors/com/queries.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { NewProductOrder, OrderParams, OrderQuery, ProductOrder, TMF622 } from "./schemas.ts";
import { orderWire } from "./wire.ts";

const ORDERS = `${TMF622}/productOrder`;

/** `POST /productOrder`. */
export const createProductOrder = defineRoute({
  method: "POST",
  path: ORDERS,
  summary: "Place an order (acknowledged) with the offering's price snapshot; the body may " +
    "also be TMF622's ProductOrder_Create (a Customer relatedParty, one add item) " +
    "(order.create.customer_not_found, order.create.customer_not_active, " +
    "order.create.requires_verified_customer, order.create.offering_not_found, " +
    "offering.not_sellable_now, order.create.requires_cof)",
  body: NewProductOrder,
  response: ProductOrder,
  tmf: "ProductOrder",
  status: 201,
});

/** `POST /productOrder/{id}/submit`. */
export const submitProductOrder = defineRoute({
  method: "POST",
  path: `${ORDERS}/:id/submit`,
  summary: "acknowledged → in_progress; SOM picks it up (order.transition.invalid, " +
    "order.submit.requires_cof)",
  params: OrderParams,
  response: ProductOrder,
  tmf: "ProductOrder",
});

/** `POST /productOrder/{id}/cancel`. */
export const cancelProductOrder = defineRoute({
  method: "POST",
  path: `${ORDERS}/:id/cancel`,
  summary: "Cancel until SOM starts; releases what was reserved " +
    "(order.transition.invalid, order.cancel.forbidden_after_som_started)",
  params: OrderParams,
  response: ProductOrder,
  tmf: "ProductOrder",
});

/** `GET /productOrder/{id}`. */
export const getProductOrder = defineRoute({
  method: "GET",
  path: `${ORDERS}/:id`,
  summary: "One order",
  params: OrderParams,
  response: ProductOrder,
  tmf: "ProductOrder",
});

/** `GET /productOrder`. */
export const listProductOrders = defineRoute({
  method: "GET",
  path: ORDERS,
  summary: "Orders newest first, optionally of one customer and in one state",
  query: OrderQuery,
  response: z.array(ProductOrder),
  tmf: "ProductOrder",
});

/** The product order endpoints. */
export function productOrderEndpoints(deps: OrderDeps): Endpoint[] {
  const { sql } = deps;
  const read = async (id: string) => orderWire(await getOrder(sql, id));
  return [
    endpoint(createProductOrder, async ({ body }, c) => {
      const key = requestKeyOf(c);
      const order = await oncePerKey(
        sql,
        { scope: "com.order.create", key, fingerprint: body },
        async (run) => await read(await placeOrder(deps, body, run)),
      );
      c.header("Location", `${ORDERS}/${order.id}`);
      return order;
    }),
    endpoint(submitProductOrder, async ({ params }) => {
      await submitOrder(deps, params.id);
      return await read(params.id);
    }),
    endpoint(cancelProductOrder, async ({ params }) => {
      await cancelOrder(deps, params.id);
      return await read(params.id);
    }),
    endpoint(getProductOrder, ({ params }) => read(params.id)),
    endpoint(
      listProductOrders,
      async ({ query }) => (await listOrders(sql, query)).map(orderWire),
      ({ query }) => countOrders(sql, query),
    ),
  ];
}
