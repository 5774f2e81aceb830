/**
 * TMF641 service orders (docs/http.md §9.1): read-only, as they are created from
 * `order.in_progress` events, plus the cancel task COM calls before it cancels an order.
 *
 * @module
 */
import { z } from "zod";
import type { StopReply } from "../../actors/som/cancel.ts";
import { SERVICE_ORDER_KIND } from "../../actors/som/decompose.ts";
import {
  countServiceOrders,
  getServiceOrder,
  listServiceOrders as list,
} from "../../actors/som/queries.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { Id, Paging, SERVICE_ORDER_STATE, ServiceOrder, TMF641 } from "./schemas.ts";
import { serviceOrderWire } from "./wire.ts";

/** `GET /serviceOrder?commercialOrderId=`. */
export const listServiceOrders = defineRoute({
  method: "GET",
  path: `${TMF641}/serviceOrder`,
  summary: "Service orders, all or a commercial order's, paged",
  query: z.object({
    commercialOrderId: Id.optional(),
    state: SERVICE_ORDER_STATE.schema.optional(),
    ...Paging,
  }),
  response: z.array(ServiceOrder),
  tmf: "ServiceOrder",
});

/** `GET /serviceOrder/{id}`. */
export const getServiceOrderRoute = defineRoute({
  method: "GET",
  path: `${TMF641}/serviceOrder/:id`,
  summary: "One service order",
  params: z.object({ id: Id }),
  response: ServiceOrder,
  tmf: "ServiceOrder",
});

/**
 * `POST /cancelServiceOrder` (the TMF641 task, keyed by the commercial order): COM's cancel
 * asks SOM to stop first; `done` when the service order had not started (it is now
 * `cancelled`), `rejected` with the started service order otherwise.
 */
export const cancelServiceOrderRoute = defineRoute({
  method: "POST",
  path: `${TMF641}/cancelServiceOrder`,
  summary: "Stop a commercial order's service order unless it has started (COM's cancel)",
  body: z.object({ commercialOrderId: Id }),
  response: z.object({
    state: z.enum(["done", "rejected"]),
    serviceOrders: z.array(z.object({ id: z.string(), state: z.string() })),
  }),
});

/** The service order endpoints. */
export function serviceOrderEndpoints({ sql, system }: Pick<Deps, "sql" | "system">): Endpoint[] {
  return [
    endpoint(cancelServiceOrderRoute, async ({ body }) => {
      const reply = await system.ask<StopReply>(SERVICE_ORDER_KIND, body.commercialOrderId, {
        type: "stop",
      });
      return { state: reply.stopped ? "done" : "rejected", serviceOrders: reply.serviceOrders };
    }),
    endpoint(
      listServiceOrders,
      async ({ query }) => (await list(sql, query)).map(serviceOrderWire),
      ({ query }) => countServiceOrders(sql, query),
    ),
    endpoint(
      getServiceOrderRoute,
      async ({ params }) => serviceOrderWire(await getServiceOrder(sql, params.id)),
    ),
  ];
}
