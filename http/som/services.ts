/**
 * TMF638 service inventory, read-only (docs/http.md §9.1).
 *
 * @module
 */
import { z } from "zod";
import { countServices, getService, listServices as list } from "../../actors/som/queries.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { Id, Paging, Service, ServiceStateWire, TMF638 } from "./schemas.ts";
import { serviceWire } from "./wire.ts";

/** `GET /service?subscriptionId=`. */
export const listServices = defineRoute({
  method: "GET",
  path: `${TMF638}/service`,
  summary: "Top-level services (each CFS with its RFS children), all or a subscription's, paged",
  query: z.object({
    subscriptionId: Id.optional(),
    state: ServiceStateWire.optional(),
    ...Paging,
  }),
  response: z.array(Service),
  tmf: "Service",
});

/** `GET /service/{id}`. */
export const getServiceRoute = defineRoute({
  method: "GET",
  path: `${TMF638}/service/:id`,
  summary: "One service with its children",
  params: z.object({ id: Id }),
  response: Service,
  tmf: "Service",
});

/** The service inventory endpoints. */
export function serviceEndpoints({ sql }: Pick<Deps, "sql">): Endpoint[] {
  return [
    endpoint(
      listServices,
      async ({ query }) => (await list(sql, query)).map(serviceWire),
      ({ query }) => countServices(sql, query),
    ),
    endpoint(getServiceRoute, async ({ params }) => serviceWire(await getService(sql, params.id))),
  ];
}
