/**
 * TMF638 service inventory, read-only (docs/http.md §9.1).
 *
 * @module
 */
import { z } from "zod";
import { getService, servicesOfSubscription } from "../../actors/som/queries.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { Id, Service, TMF638 } from "./schemas.ts";
import { serviceWire } from "./wire.ts";

/** `GET /service?subscriptionId=`. */
export const listServices = defineRoute({
  method: "GET",
  path: `${TMF638}/service`,
  summary: "The services of a subscription (each CFS with its RFS children)",
  query: z.object({ subscriptionId: Id }),
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
      async ({ query }) =>
        (await servicesOfSubscription(sql, query.subscriptionId)).map(serviceWire),
    ),
    endpoint(getServiceRoute, async ({ params }) => serviceWire(await getService(sql, params.id))),
  ];
}
