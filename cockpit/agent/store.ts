/**
 * The conversation store (schema `cockpit`, sql/0220_cockpit.sql): sessions, messages and the
 * one pending destructive action per session. The REPL and the browser cockpit share it; a
 * session resumes from any process.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import type { Proposal } from "./gate.ts";

/** A conversation. */
export interface Session {
  id: string;
  actor: string;
  customerFocus: string | null;
  state: "active" | "closed";
  label: string | null;
  startedAt: Date;
  lastActiveAt: Date;
}

/** A session in a listing, with its message count. */
export interface SessionRow extends Session {
  messages: number;
}

/** Who wrote a message. */
export type Role = "user" | "assistant" | "tool";

/** A stored message. */
export interface Message {
  id: number;
  role: Role;
  content: string;
  /** assistant: the calls it made; tool: `{tool_name}`. */
  toolCalls: unknown;
  createdAt: Date;
}

/** A staged destructive action. */
export interface Pending extends Proposal {
  proposedAt: Date;
}

const session = (r: Record<string, unknown>): Session => ({
  id: r.id as string,
  actor: r.actor as string,
  customerFocus: r.customer_focus as string | null,
  state: r.state as Session["state"],
  label: r.label as string | null,
  startedAt: r.started_at as Date,
  lastActiveAt: r.last_active_at as Date,
});

/** `SES-YYYYMMDD-<8 hex>`. */
function newSessionId(now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll("-", "");
  const hex = [...crypto.getRandomValues(new Uint8Array(4))]
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  return `SES-${day}-${hex}`;
}

/** The store on `sql`. */
export class ConversationStore {
  constructor(readonly sql: Sql) {}

  /** Opens a new active session. */
  async open(actor: string, label?: string): Promise<Session> {
    const [row] = await this.sql`
      insert into cockpit.session (id, actor, label)
      values (${newSessionId()}, ${actor}, ${label ?? null}) returning *`;
    return session(row);
  }

  /** A session by id (touched), or null. */
  async resume(id: string): Promise<Session | null> {
    const [row] = await this.sql`
      update cockpit.session set last_active_at = now() where id = ${id} returning *`;
    return row ? session(row) : null;
  }

  /** The actor's most recent active session, or null. */
  async latest(actor: string): Promise<Session | null> {
    const [row] = await this.sql`
      select * from cockpit.session where actor = ${actor} and state = 'active'
      order by last_active_at desc limit 1`;
    return row ? session(row) : null;
  }

  /** The actor's sessions, newest first, with message counts. */
  async list(actor: string, activeOnly = true, limit = 50): Promise<SessionRow[]> {
    const rows = await this.sql`
      select s.*, (select count(*) from cockpit.message m where m.session_id = s.id)::int as n
      from cockpit.session s
      where s.actor = ${actor} and (${!activeOnly} or s.state = 'active')
      order by s.last_active_at desc limit ${limit}`;
    return rows.map((r) => ({ ...session(r), messages: r.n as number }));
  }

  /** Appends a message and touches the session; returns its id. */
  async append(sessionId: string, role: Role, content: string, toolCalls?: unknown) {
    const [row] = await this.sql`
      with touched as (
        update cockpit.session set last_active_at = now() where id = ${sessionId}
      )
      insert into cockpit.message (session_id, role, content, tool_calls_json)
      values (${sessionId}, ${role}, ${content},
        ${toolCalls === undefined ? null : this.sql.json(toolCalls as never)})
      returning id`;
    return Number(row.id);
  }

  /** A session's messages, oldest first. */
  async messages(sessionId: string): Promise<Message[]> {
    const rows = await this.sql`
      select * from cockpit.message where session_id = ${sessionId} order by id`;
    return rows.map((r) => ({
      id: Number(r.id),
      role: r.role as Role,
      content: r.content as string,
      toolCalls: r.tool_calls_json,
      createdAt: r.created_at as Date,
    }));
  }

  /** Deletes the messages and the pending action; the session stays. */
  async reset(sessionId: string): Promise<void> {
    await this.sql`delete from cockpit.message where session_id = ${sessionId}`;
    await this.sql`delete from cockpit.pending_destructive where session_id = ${sessionId}`;
  }

  /** Closes a session. */
  async close(sessionId: string): Promise<void> {
    await this.sql`update cockpit.session set state = 'closed' where id = ${sessionId}`;
  }

  /** Pins (or with null unpins) the customer in focus. */
  async setFocus(sessionId: string, customerId: string | null): Promise<void> {
    await this.sql`
      update cockpit.session set customer_focus = ${customerId} where id = ${sessionId}`;
  }

  /** Stages `proposal` as the session's one pending action (replacing any other). */
  async stage(sessionId: string, proposal: Proposal, messageId?: number): Promise<void> {
    await this.sql`
      insert into cockpit.pending_destructive
        (session_id, tool_name, tool_args_json, proposal_message_id)
      values (${sessionId}, ${proposal.tool}, ${this.sql.json(proposal.args as never)},
        ${messageId ?? null})
      on conflict (session_id) do update set tool_name = excluded.tool_name,
        tool_args_json = excluded.tool_args_json, proposed_at = now(),
        proposal_message_id = excluded.proposal_message_id`;
  }

  /** The pending action, left in place. */
  async peek(sessionId: string): Promise<Pending | null> {
    const [row] = await this.sql`
      select * from cockpit.pending_destructive where session_id = ${sessionId}`;
    return row ? pending(row) : null;
  }

  /** Takes the pending action away (at most one caller gets it). */
  async consume(sessionId: string): Promise<Pending | null> {
    const [row] = await this.sql`
      delete from cockpit.pending_destructive where session_id = ${sessionId} returning *`;
    return row ? pending(row) : null;
  }
}

function pending(r: Record<string, unknown>): Pending {
  return {
    tool: r.tool_name as string,
    args: r.tool_args_json as Record<string, unknown>,
    proposedAt: r.proposed_at as Date,
  };
}
