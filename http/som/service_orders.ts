/**
 * TMF641 service orders, read-only (spec 03 §9.1): service orders are created from
 * `order.in_progress` events.
 *
 * @module
 */
import { z } from "zod";
import { getServiceOrder, listServiceOrders as list } from "../../actors/som/queries.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { Id, ServiceOrder, TMF641 } from "./schemas.ts";
import { serviceOrderWire } from "./wire.ts";

/** `GET /serviceOrder?commercialOrderId=`. */
export const listServiceOrders = defineRoute({
  method: "GET",
  path: `${TMF641}/serviceOrder`,
  summary: "The service orders of a commercial order",
  query: z.object({ commercialOrderId: Id }),
  response: z.array(ServiceOrder),
});

/** `GET /serviceOrder/{id}`. */
export const getServiceOrderRoute = defineRoute({
  method: "GET",
  path: `${TMF641}/serviceOrder/:id`,
  summary: "One service order",
  params: z.object({ id: Id }),
  response: ServiceOrder,
});

/** The service order endpoints. */
export function serviceOrderEndpoints({ sql }: Pick<Deps, "sql">): Endpoint[] {
  return [
    endpoint(
      listServiceOrders,
      async ({ query }) => (await list(sql, query.commercialOrderId)).map(serviceOrderWire),
    ),
    endpoint(
      getServiceOrderRoute,
      async ({ params }) => serviceOrderWire(await getServiceOrder(sql, params.id)),
    ),
  ];
}
