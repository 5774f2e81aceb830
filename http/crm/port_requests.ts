/**
 * Number-port requests over HTTP (docs/http.md §6.4; camelCase, operator-only by convention):
 * create, list, read, approve, reject. Approval runs the CRM side only: the inventory and
 * subscription effects of a completed port are not wired yet.
 *
 * @module
 */
import { z } from "zod";
import * as ports from "../../actors/crm/port_requests.ts";
import { PORT_DIRECTIONS, PORT_STATES } from "../../actors/crm/vocab.ts";
import { markPortedOut, seedPortedIn } from "../../actors/inventory/porting.ts";
import { NotFound } from "../../kernel/errors.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { acceptSnakeCase, Text, Timestamp } from "./wire.ts";
import { paging } from "../paging.ts";

const PATH = "/crm-api/v1/port-requests";
const Id = z.object({ id: z.string() });

/** A port request. */
export const PortRequest = z.object({
  id: z.string(),
  direction: z.enum(PORT_DIRECTIONS),
  donorCarrier: z.string(),
  donorMsisdn: z.string(),
  targetSubscriptionId: z.string().nullable(),
  requestedPortDate: z.iso.date(),
  state: z.enum(PORT_STATES),
  rejectionReason: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/** `GET /port-requests`: newest first. */
export const listPortRequests = defineRoute({
  method: "GET",
  path: PATH,
  summary: "Port requests, newest first",
  query: z.object({
    state: z.enum(PORT_STATES).optional(),
    direction: z.enum(PORT_DIRECTIONS).optional(),
    ...paging(50),
  }),
  response: z.array(PortRequest),
});

/** `GET /port-requests/{id}`. */
export const getPortRequest = defineRoute({
  method: "GET",
  path: `${PATH}/:id`,
  summary: "One port request",
  params: Id,
  response: PortRequest,
});

/** `POST /port-requests`. */
export const createPortRequest = defineRoute({
  method: "POST",
  path: PATH,
  summary: "Request a number port in or out",
  body: acceptSnakeCase(z.object({
    // Checked by the rule port_request.create.direction_valid rather than here.
    direction: z.string(),
    donorCarrier: Text.max(100),
    donorMsisdn: z.string().trim().regex(/^[0-9]{4,15}$/),
    targetSubscriptionId: Text.optional(),
    requestedPortDate: z.iso.date(),
  })),
  response: PortRequest,
  status: 201,
});

/** `POST /port-requests/{id}/approve`: straight to `completed`. */
export const approvePortRequest = defineRoute({
  method: "POST",
  path: `${PATH}/:id/approve`,
  summary: "Approve a pending port request (it completes)",
  params: Id,
  response: PortRequest,
});

/** `POST /port-requests/{id}/reject`. */
export const rejectPortRequest = defineRoute({
  method: "POST",
  path: `${PATH}/:id/reject`,
  summary: "Reject a pending port request",
  params: Id,
  body: z.object({ reason: z.string().max(500) }),
  response: PortRequest,
});

/** The number pool's side of an approved port (the inventory sub-domain this service hosts). */
const INVENTORY_PORT_EFFECTS: ports.PortEffects = {
  portedIn: seedPortedIn,
  portedOut: markPortedOut,
};

/** The port request endpoints. */
export function portRequestEndpoints({ sql }: Pick<Deps, "sql">): Endpoint[] {
  return [
    endpoint(listPortRequests, ({ query }) => ports.listPortRequests(sql, query)),
    endpoint(getPortRequest, async ({ params }) => {
      const found = await ports.getPortRequest(sql, params.id);
      if (!found) throw new NotFound("PortRequest", params.id);
      return found;
    }),
    endpoint(createPortRequest, async ({ body }, c) => {
      const created = await ports.createPortRequest(sql, body);
      c.header("Location", `${PATH}/${created.id}`);
      return created;
    }),
    endpoint(
      approvePortRequest,
      ({ params }) => ports.approvePortRequest(sql, params.id, INVENTORY_PORT_EFFECTS),
    ),
    endpoint(
      rejectPortRequest,
      ({ params, body }) => ports.rejectPortRequest(sql, params.id, body.reason),
    ),
  ];
}
