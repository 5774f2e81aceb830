/**
 * Agents over HTTP (docs/http.md §6.4): read-only reference data.
 *
 * @module
 */
import { z } from "zod";
import * as agents from "../../actors/crm/agents.ts";
import { AGENT_ROLES, AGENT_STATUSES } from "../../actors/crm/vocab.ts";
import { NotFound } from "../../kernel/errors.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { paging } from "../paging.ts";

/** An agent. */
export const Agent = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  role: z.enum(AGENT_ROLES).nullable(),
  status: z.enum(AGENT_STATUSES),
});

/** `GET /crm-api/v1/agent`. */
export const listAgents = defineRoute({
  method: "GET",
  path: "/crm-api/v1/agent",
  summary: "Agents by id, optionally by status",
  query: z.object({ status: z.enum(AGENT_STATUSES).optional(), ...paging(50) }),
  response: z.array(Agent),
});

/** `GET /crm-api/v1/agent/{id}`. */
export const getAgent = defineRoute({
  method: "GET",
  path: "/crm-api/v1/agent/:id",
  summary: "One agent",
  params: z.object({ id: z.string() }),
  response: Agent,
});

/** The agent endpoints. */
export function agentEndpoints({ sql }: Pick<Deps, "sql">): Endpoint[] {
  return [
    endpoint(listAgents, ({ query }) => agents.listAgents(sql, query)),
    endpoint(getAgent, async ({ params }) => {
      const agent = await agents.getAgent(sql, params.id);
      if (!agent) throw new NotFound("Agent", params.id);
      return agent;
    }),
  ];
}
