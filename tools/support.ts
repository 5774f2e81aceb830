/**
 * Case and ticket tools (docs/cockpit.md §4.2 case.*, ticket.*): the CRM's support desk.
 *
 * @module
 */
import { z } from "zod";
import { CASE_MACHINE, CASE_STATES } from "../actors/crm/case_machine.ts";
import type { Machine } from "../actors/crm/fsm.ts";
import { TICKET_MACHINE, TICKET_STATES } from "../actors/crm/ticket_machine.ts";
import { CASE_CATEGORIES, PRIORITIES, TICKET_TYPES } from "../actors/crm/vocab.ts";
import {
  addCaseNote,
  closeCase,
  getCase,
  listCases,
  openCase,
  updateCase,
} from "../http/crm/cases.ts";
import { getChatTranscript } from "../http/crm/chat_transcripts.ts";
import {
  cancelTroubleTicket,
  createTroubleTicket,
  getTroubleTicket,
  listTroubleTickets,
  resolveTroubleTicket,
  transitionTroubleTicket,
  updateTroubleTicket,
} from "../http/crm/trouble_tickets.ts";
import {
  AgentId,
  CaseId,
  CustomerId,
  idOf,
  OrderId,
  paged,
  SubscriptionId,
  TicketId,
} from "./args.ts";
import { defineTool, OPERATOR, type Tool } from "./tool.ts";

/** The states some trigger of `machine` leads to: what `transition` may ask for. */
function targets<S extends string>(machine: Machine<S, string>): [S, ...S[]] {
  return [...new Set(Object.values(machine).map((m) => m.to))] as [S, ...S[]];
}

/**
 * The trigger that moves `state` to `to`; when none may fire from `state`, one that leads to
 * `to` at all, so the service answers with its own rule.
 */
function triggerTo<S extends string, T extends string>(machine: Machine<S, T>, state: S, to: S): T {
  const moves = Object.entries(machine) as Array<[T, { from: readonly S[]; to: S }]>;
  const leading = moves.filter(([, m]) => m.to === to);
  return (leading.find(([, m]) => m.from.includes(state)) ?? leading[0])[0];
}

/** The case tools. */
export const caseTools: Tool[] = [
  defineTool({
    name: "case.open",
    description: "Open a support case for an active customer",
    class: "create",
    profiles: OPERATOR,
    args: z.object({
      customer_id: CustomerId,
      subject: z.string().trim().min(1).max(200),
      category: z.enum(CASE_CATEGORIES).default("technical"),
      priority: z.enum(PRIORITIES).default("medium"),
    }),
    run: (args, ctx) => ctx.client("crm").call(openCase, { body: args }),
  }),
  defineTool({
    name: "case.get",
    description: "A case with its notes and ticket ids",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ case_id: CaseId }),
    run: ({ case_id }, ctx) => ctx.client("crm").call(getCase, { params: { id: case_id } }),
  }),
  defineTool({
    name: "case.list",
    description: "Cases, by customer, state or assigned agent",
    class: "read",
    profiles: OPERATOR,
    args: z.object({
      customer_id: CustomerId.optional(),
      state: z.enum(CASE_STATES).optional(),
      agent_id: AgentId.optional(),
      ...paged(20),
    }),
    run: ({ customer_id, state, agent_id, limit, offset }, ctx) =>
      ctx.client("crm").call(listCases, {
        query: { customerId: customer_id, state, assignedAgentId: agent_id, limit, offset },
      }),
  }),
  defineTool({
    name: "case.add_note",
    description: "Add a note to a case",
    class: "create",
    profiles: OPERATOR,
    args: z.object({ case_id: CaseId, body: z.string().trim().min(1).max(10_000) }),
    run: ({ case_id, body }, ctx) =>
      ctx.client("crm").call(addCaseNote, { params: { id: case_id }, body: { body } }),
  }),
  defineTool({
    name: "case.update_priority",
    description: "Change a case's priority",
    class: "update",
    profiles: OPERATOR,
    args: z.object({ case_id: CaseId, priority: z.enum(PRIORITIES) }),
    run: ({ case_id, priority }, ctx) =>
      ctx.client("crm").call(updateCase, { params: { id: case_id }, body: { priority } }),
  }),
  defineTool({
    name: "case.transition",
    description: "Move a case to another state (in_progress, pending_customer, resolved…)",
    class: "update",
    profiles: OPERATOR,
    args: z.object({ case_id: CaseId, to_state: z.enum(targets(CASE_MACHINE)) }),
    run: async ({ case_id, to_state }, ctx) => {
      const crm = ctx.client("crm");
      const { state } = await crm.call(getCase, { params: { id: case_id } });
      const trigger = triggerTo(CASE_MACHINE, state, to_state);
      return crm.call(updateCase, { params: { id: case_id }, body: { trigger } });
    },
  }),
  defineTool({
    name: "case.close",
    description: "Close a case (every ticket must be resolved, closed or cancelled)",
    class: "destructive",
    profiles: OPERATOR,
    args: z.object({
      case_id: CaseId,
      resolution_code: z.string().trim().min(1).max(100).default("resolved"),
    }),
    run: ({ case_id, resolution_code }, ctx) =>
      ctx.client("crm").call(closeCase, { params: { id: case_id }, body: { resolution_code } }),
  }),
  defineTool({
    name: "case.show_transcript_for",
    description: "The chat transcript a case was escalated from, if any",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ case_id: CaseId }),
    run: async ({ case_id }, ctx) => {
      const crm = ctx.client("crm");
      const { chat_transcript_hash: hash } = await crm.call(getCase, { params: { id: case_id } });
      if (!hash) return { transcript: null, reason: "no_transcript_linked" };
      const t = await crm.call(getChatTranscript, { params: { hash } });
      return { transcript: t.body, customerId: t.customer_id, recordedAt: t.recorded_at };
    },
  }),
];

/** The ticket tools. */
export const ticketTools: Tool[] = [
  defineTool({
    name: "ticket.open",
    description: "Open a trouble ticket, for a customer or under a case",
    class: "create",
    profiles: OPERATOR,
    args: z.object({
      ticket_type: z.enum(TICKET_TYPES),
      subject: z.string().trim().min(1).max(200),
      case_id: CaseId.optional(),
      customer_id: CustomerId.optional(),
      order_id: OrderId.optional(),
      subscription_id: SubscriptionId.optional(),
      service_id: idOf("SVC-", "som.service.list_for_subscription").optional(),
    }).refine((a) => a.case_id || a.customer_id, {
      message: "give customer_id or case_id",
      path: ["customer_id"],
    }),
    run: async (a, ctx) => {
      const crm = ctx.client("crm");
      const customerId = a.customer_id ??
        (await crm.call(getCase, { params: { id: a.case_id! } })).customer_id;
      return crm.call(createTroubleTicket, {
        body: {
          customerId,
          subject: a.subject,
          ticketType: a.ticket_type,
          caseId: a.case_id,
          relatedOrderId: a.order_id,
          relatedSubscriptionId: a.subscription_id,
          relatedServiceId: a.service_id,
        },
      });
    },
  }),
  defineTool({
    name: "ticket.get",
    description: "A ticket with its state history",
    class: "read",
    profiles: OPERATOR,
    args: z.object({ ticket_id: TicketId }),
    run: ({ ticket_id }, ctx) =>
      ctx.client("crm").call(getTroubleTicket, { params: { id: ticket_id } }),
  }),
  defineTool({
    name: "ticket.list",
    description: "Tickets, by customer, case, state or assigned agent",
    class: "read",
    profiles: OPERATOR,
    args: z.object({
      customer_id: CustomerId.optional(),
      case_id: CaseId.optional(),
      state: z.enum(TICKET_STATES).optional(),
      agent_id: AgentId.optional(),
      ...paged(20),
    }),
    run: (a, ctx) =>
      ctx.client("crm").call(listTroubleTickets, {
        query: {
          customerId: a.customer_id,
          caseId: a.case_id,
          state: a.state,
          assignedToAgentId: a.agent_id,
          limit: a.limit,
          offset: a.offset,
        },
      }),
  }),
  defineTool({
    name: "ticket.assign",
    description: "Assign a ticket to an agent",
    class: "update",
    profiles: OPERATOR,
    args: z.object({ ticket_id: TicketId, agent_id: AgentId }),
    run: ({ ticket_id, agent_id }, ctx) =>
      ctx.client("crm").call(updateTroubleTicket, {
        params: { id: ticket_id },
        body: { assignedToAgentId: agent_id },
      }),
  }),
  defineTool({
    name: "ticket.transition",
    description: "Move a ticket to another state (acknowledged, in_progress, pending…)",
    class: "update",
    profiles: OPERATOR,
    args: z.object({ ticket_id: TicketId, to_state: z.enum(targets(TICKET_MACHINE)) }),
    run: async ({ ticket_id, to_state }, ctx) => {
      const crm = ctx.client("crm");
      const { state } = await crm.call(getTroubleTicket, { params: { id: ticket_id } });
      const trigger = triggerTo(TICKET_MACHINE, state, to_state);
      return crm.call(transitionTroubleTicket, { params: { id: ticket_id }, body: { trigger } });
    },
  }),
  defineTool({
    name: "ticket.resolve",
    description: "Resolve a ticket with notes",
    class: "update",
    profiles: OPERATOR,
    args: z.object({ ticket_id: TicketId, resolution_notes: z.string().trim().min(1).max(10_000) }),
    run: ({ ticket_id, resolution_notes }, ctx) =>
      ctx.client("crm").call(resolveTroubleTicket, {
        params: { id: ticket_id },
        body: { resolutionNotes: resolution_notes },
      }),
  }),
  defineTool({
    name: "ticket.close",
    description: "Close a resolved ticket",
    class: "update",
    profiles: OPERATOR,
    args: z.object({ ticket_id: TicketId }),
    run: ({ ticket_id }, ctx) =>
      ctx.client("crm").call(transitionTroubleTicket, {
        params: { id: ticket_id },
        body: { trigger: "close" },
      }),
  }),
  defineTool({
    name: "ticket.cancel",
    description: "Cancel an open ticket",
    class: "destructive",
    profiles: OPERATOR,
    args: z.object({ ticket_id: TicketId }),
    run: ({ ticket_id }, ctx) =>
      ctx.client("crm").call(cancelTroubleTicket, { params: { id: ticket_id } }),
  }),
];
