/**
 * TMF621 trouble tickets (docs/http.md §6.3): open, list, read, edit, and move through the ticket
 * state machine (`/transition`, with `/resolve` and `/cancel` as shorthands).
 *
 * @module
 */
import { z } from "zod";
import { TICKET_STATES, TICKET_TRIGGERS } from "../../actors/crm/ticket_machine.ts";
import * as queries from "../../actors/crm/ticket_queries.ts";
import * as tickets from "../../actors/crm/tickets.ts";
import { PRIORITIES, TICKET_TYPES } from "../../actors/crm/vocab.ts";
import { NotFound } from "../../kernel/errors.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { acceptSnakeCase, someField, Text, Timestamp } from "./wire.ts";
import { paging } from "../paging.ts";

const PATH = "/tmf-api/troubleTicket/v4/troubleTicket";
const Id = z.object({ id: z.string() });

/** A trouble ticket (TMF621 TroubleTicket) with its state history. */
export const TroubleTicket = z.object({
  "@type": z.literal("TroubleTicket"),
  id: z.string(),
  href: z.string(),
  ticketType: z.enum(TICKET_TYPES),
  subject: z.string(),
  description: z.string().nullable(),
  state: z.enum(TICKET_STATES),
  priority: z.enum(PRIORITIES),
  customerId: z.string(),
  caseId: z.string().nullable(),
  assignedToAgentId: z.string().nullable(),
  relatedOrderId: z.string().nullable(),
  relatedSubscriptionId: z.string().nullable(),
  relatedServiceId: z.string().nullable(),
  /** When the SLA matrix wants it resolved. */
  slaDueAt: Timestamp.nullable(),
  resolutionNotes: z.string().nullable(),
  openedAt: Timestamp,
  resolvedAt: Timestamp.nullable(),
  closedAt: Timestamp.nullable(),
  stateHistory: z.array(z.object({
    fromState: z.enum(TICKET_STATES).nullable(),
    toState: z.enum(TICKET_STATES),
    changedBy: z.string().nullable(),
    changedByAgentId: z.string().nullable(),
    reason: z.string().nullable(),
    eventTime: Timestamp,
  })),
});

/** `POST /troubleTicket`. */
export const createTroubleTicket = defineRoute({
  method: "POST",
  path: PATH,
  summary: "Open a trouble ticket (due per the SLA matrix)",
  body: acceptSnakeCase(z.object({
    customerId: Text,
    subject: Text.max(200),
    description: z.string().max(10_000).optional(),
    ticketType: z.enum(TICKET_TYPES).default("information"),
    priority: z.enum(PRIORITIES).default("medium"),
    caseId: Text.optional(),
    assignedToAgentId: Text.optional(),
    relatedOrderId: Text.optional(),
    relatedSubscriptionId: Text.optional(),
    relatedServiceId: Text.optional(),
  })),
  response: TroubleTicket,
  status: 201,
});

/** `GET /troubleTicket`: newest first. */
export const listTroubleTickets = defineRoute({
  method: "GET",
  path: PATH,
  summary: "Trouble tickets, newest first",
  query: z.object({
    customerId: z.string().optional(),
    caseId: z.string().optional(),
    state: z.enum(TICKET_STATES).optional(),
    assignedToAgentId: z.string().optional(),
    ...paging(20),
  }),
  response: z.array(TroubleTicket),
});

/** `GET /troubleTicket/{id}`. */
export const getTroubleTicket = defineRoute({
  method: "GET",
  path: `${PATH}/:id`,
  summary: "One trouble ticket",
  params: Id,
  response: TroubleTicket,
});

/** `PATCH /troubleTicket/{id}`: priority, assignee (an active agent), description. */
export const updateTroubleTicket = defineRoute({
  method: "PATCH",
  path: `${PATH}/:id`,
  summary: "Change a ticket's priority, assignee or description",
  params: Id,
  body: acceptSnakeCase(someField(z.object({
    priority: z.enum(PRIORITIES).optional(),
    assignedToAgentId: Text.optional(),
    description: z.string().max(10_000).nullable().optional(),
  }))),
  response: TroubleTicket,
});

/** `POST /troubleTicket/{id}/transition`. */
export const transitionTroubleTicket = defineRoute({
  method: "POST",
  path: `${PATH}/:id/transition`,
  summary: "Fire a trigger on a ticket",
  params: Id,
  body: acceptSnakeCase(z.object({
    trigger: z.enum(TICKET_TRIGGERS),
    assignedToAgentId: Text.optional(),
    resolutionNotes: z.string().max(10_000).optional(),
    reason: Text.max(500).optional(),
  })),
  response: TroubleTicket,
});

/** `POST /troubleTicket/{id}/resolve`. */
export const resolveTroubleTicket = defineRoute({
  method: "POST",
  path: `${PATH}/:id/resolve`,
  summary: "Resolve a ticket with notes",
  params: Id,
  body: acceptSnakeCase(z.object({ resolutionNotes: z.string().max(10_000) })),
  response: TroubleTicket,
});

/** `POST /troubleTicket/{id}/cancel`. */
export const cancelTroubleTicket = defineRoute({
  method: "POST",
  path: `${PATH}/:id/cancel`,
  summary: "Cancel a ticket",
  params: Id,
  response: TroubleTicket,
});

/** The trouble ticket endpoints. */
export function troubleTicketEndpoints({ sql }: Pick<Deps, "sql">): Endpoint[] {
  return [
    endpoint(createTroubleTicket, async ({ body }, c) => {
      const ticket = await tickets.openTicket(sql, body);
      c.header("Location", ticket.href);
      return ticket;
    }),
    endpoint(listTroubleTickets, ({ query }) => queries.listTickets(sql, query)),
    endpoint(getTroubleTicket, async ({ params }) => {
      const ticket = await queries.getTicket(sql, params.id);
      if (!ticket) throw new NotFound("TroubleTicket", params.id);
      return ticket;
    }),
    endpoint(updateTroubleTicket, ({ params, body }) => tickets.updateTicket(sql, params.id, body)),
    endpoint(
      transitionTroubleTicket,
      ({ params, body }) => tickets.transitionTicket(sql, params.id, body),
    ),
    endpoint(resolveTroubleTicket, ({ params, body }) =>
      tickets.transitionTicket(sql, params.id, {
        trigger: "resolve",
        resolutionNotes: body.resolutionNotes,
      })),
    endpoint(
      cancelTroubleTicket,
      ({ params }) => tickets.transitionTicket(sql, params.id, { trigger: "cancel" }),
    ),
  ];
}
