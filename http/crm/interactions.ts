/**
 * TMF683 customer interactions (docs/http.md §6.2): log one by hand, list a customer's.
 *
 * @module
 */
import { z } from "zod";
import * as interactions from "../../actors/crm/interactions.ts";
import { DIRECTIONS } from "../../actors/crm/vocab.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { acceptSnakeCase, Text, Timestamp } from "./wire.ts";
import { paging } from "../paging.ts";

const PATH = "/tmf-api/customerInteractionManagement/v1/interaction";

/** An interaction (TMF683 Interaction, no href). */
export const Interaction = z.object({
  "@type": z.literal("Interaction"),
  id: z.string(),
  customerId: z.string(),
  channel: z.string().nullable(),
  direction: z.enum(DIRECTIONS).nullable(),
  summary: z.string(),
  body: z.string().nullable(),
  agentId: z.string().nullable(),
  /** Who wrote it (the caller's actor); null on rows older than the column. */
  actor: z.string().nullable(),
  relatedCaseId: z.string().nullable(),
  relatedTicketId: z.string().nullable(),
  occurredAt: Timestamp,
});

/** `POST /interaction`: channel defaults to the request's, direction to `inbound`. */
export const createInteraction = defineRoute({
  method: "POST",
  path: PATH,
  summary: "Log an interaction with a customer",
  body: acceptSnakeCase(z.object({
    customerId: Text,
    summary: Text.max(1000),
    channel: Text.max(100).optional(),
    direction: z.enum(DIRECTIONS).default("inbound"),
    body: z.string().max(10_000).optional(),
    agentId: Text.optional(),
    relatedCaseId: Text.optional(),
    relatedTicketId: Text.optional(),
  })),
  response: Interaction,
  status: 201,
});

/** `GET /interaction?customerId=…`: newest first. */
export const listInteractions = defineRoute({
  method: "GET",
  path: PATH,
  summary: "A customer's interactions, newest first",
  query: z.object({ customerId: Text, ...paging(50) }),
  response: z.array(Interaction),
});

/** The interaction endpoints. */
export function interactionEndpoints({ sql }: Pick<Deps, "sql">): Endpoint[] {
  return [
    endpoint(createInteraction, ({ body }) => interactions.recordInteraction(sql, body)),
    endpoint(listInteractions, ({ query }) => interactions.listInteractions(sql, query)),
  ];
}
