/**
 * Customer interactions (TMF683, docs/domain.md §1 `crm.interaction`): every CRM write on a
 * customer, case, ticket or KYC logs one in its own transaction (`inbound`, the caller's
 * channel); operators and the chat log others by hand.
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import { currentCaller } from "../../kernel/context.ts";
import type { Pool, Sql } from "../../kernel/db/types.ts";
import { NotFound } from "../../kernel/errors.ts";
import { randomId } from "../../kernel/ids.ts";
import { requireAgent } from "./agents.ts";
import { customerExists } from "./customer_queries.ts";
import { iso } from "./rows.ts";
import type { Direction } from "./vocab.ts";

/** What an interaction records. */
export interface InteractionInput {
  customerId: string;
  summary: string;
  body?: string | null;
  /** Default: the caller's channel. */
  channel?: string;
  /** Default: `inbound`. */
  direction?: Direction;
  agentId?: string | null;
  relatedCaseId?: string | null;
  relatedTicketId?: string | null;
}

/** An interaction as TMF683 shows it. */
export interface InteractionView {
  "@type": "Interaction";
  id: string;
  customerId: string;
  channel: string | null;
  direction: Direction | null;
  summary: string;
  body: string | null;
  agentId: string | null;
  /** Who wrote it: the caller's actor (`cli-user`, `llm-<model>`, a customer id…). */
  actor: string | null;
  relatedCaseId: string | null;
  relatedTicketId: string | null;
  occurredAt: string;
}

function view(r: Record<string, unknown>): InteractionView {
  return {
    "@type": "Interaction",
    id: r.id as string,
    customerId: r.customer_id as string,
    channel: r.channel as string | null,
    direction: r.direction as Direction | null,
    summary: r.summary as string,
    body: r.body as string | null,
    agentId: r.agent_id as string | null,
    actor: r.actor as string | null,
    relatedCaseId: r.related_case_id as string | null,
    relatedTicketId: r.related_ticket_id as string | null,
    occurredAt: iso(r.occurred_at as Date)!,
  };
}

/** Writes an interaction in `sql`'s transaction, attributed to the current caller. */
export async function logInteraction(sql: Sql, input: InteractionInput): Promise<InteractionView> {
  const caller = currentCaller();
  const [row] = await sql`
    insert into crm.interaction (id, customer_id, channel, direction, summary, body, agent_id,
      actor, related_case_id, related_ticket_id, occurred_at, tenant_id)
    values (${randomId("INT")}, ${input.customerId}, ${input.channel ?? caller.channel},
      ${input.direction ?? "inbound"}, ${input.summary}, ${input.body ?? null},
      ${input.agentId ?? null}, ${caller.actor}, ${input.relatedCaseId ?? null},
      ${input.relatedTicketId ?? null}, ${clock.now()}, ${caller.tenant})
    returning *`;
  return view(row);
}

/**
 * Logs an interaction by hand. The customer, agent, case and ticket it names must exist, and
 * the case and ticket must be the customer's (another customer's reads as unknown).
 */
export function recordInteraction(sql: Pool, input: InteractionInput): Promise<InteractionView> {
  return sql.begin(async (tx) => {
    if (!await customerExists(tx, input.customerId)) {
      throw new NotFound("Customer", input.customerId);
    }
    if (input.agentId) await requireAgent(tx, input.agentId);
    const owned = async (table: "case" | "ticket", thing: string, id?: string | null) => {
      if (!id) return;
      const [row] = await tx`select 1 from ${tx(`crm.${table}`)}
        where id = ${id} and customer_id = ${input.customerId}`;
      if (!row) throw new NotFound(thing, id);
    };
    await owned("case", "Case", input.relatedCaseId);
    await owned("ticket", "TroubleTicket", input.relatedTicketId);
    return await logInteraction(tx, input);
  });
}

/** A customer's interactions, newest first. */
export async function listInteractions(
  sql: Sql,
  q: { customerId: string; limit: number; offset: number },
): Promise<InteractionView[]> {
  const rows = await sql`
    select * from crm.interaction where customer_id = ${q.customerId}
    order by seq desc limit ${q.limit} offset ${q.offset}`;
  return rows.map(view);
}
