/**
 * Agents (docs/domain.md §1 `crm.agent`): the people and the system account that own cases and
 * tickets. Reference data, seeded; read-only over HTTP.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import { NotFound } from "../../kernel/errors.ts";
import { allOf, eq } from "./rows.ts";
import type { AgentRole, AgentStatus } from "./vocab.ts";

/** An agent as `/crm-api/v1/agent` shows it. */
export interface AgentView {
  id: string;
  name: string;
  email: string | null;
  role: AgentRole | null;
  status: AgentStatus;
}

/** One agent, or undefined. */
export async function getAgent(sql: Sql, id: string): Promise<AgentView | undefined> {
  const [row] = await sql<AgentView[]>`
    select id, name, email, role, status from crm.agent where id = ${id}`;
  return row;
}

/** Agents by id, optionally by status. */
export async function listAgents(
  sql: Sql,
  q: { status?: string; limit: number; offset: number },
): Promise<AgentView[]> {
  return await sql<AgentView[]>`
    select id, name, email, role, status from crm.agent
    where ${allOf(sql, eq(sql, "status", q.status))}
    order by id limit ${q.limit} offset ${q.offset}`;
}

/** The agent named by a write (an author, an opener); unknown → 404. */
export async function requireAgent(sql: Sql, id: string): Promise<AgentView> {
  const agent = await getAgent(sql, id);
  if (!agent) throw new NotFound("Agent", id);
  return agent;
}
