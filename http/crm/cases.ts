/**
 * Cases over HTTP (docs/http.md §6.4, snake_case): open, list, read, edit or move, close (resolving
 * first when it may), annotate.
 *
 * @module
 */
import { z } from "zod";
import { CASE_STATES, CASE_TRIGGERS } from "../../actors/crm/case_machine.ts";
import * as queries from "../../actors/crm/case_queries.ts";
import * as cases from "../../actors/crm/cases.ts";
import { CASE_CATEGORIES, ESCALATION_CATEGORIES, PRIORITIES } from "../../actors/crm/vocab.ts";
import { NotFound } from "../../kernel/errors.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { someField, Text, Timestamp } from "./wire.ts";
import { paging } from "../paging.ts";

const PATH = "/crm-api/v1/case";
const Id = z.object({ id: z.string() });

/** A note on a case. */
export const CaseNote = z.object({
  id: z.string(),
  case_id: z.string(),
  author_agent_id: z.string().nullable(),
  body: z.string(),
  created_at: Timestamp,
});

/** A case with its notes and ticket ids. */
export const Case = z.object({
  id: z.string(),
  customer_id: z.string(),
  subject: z.string(),
  description: z.string().nullable(),
  state: z.enum(CASE_STATES),
  priority: z.enum(PRIORITIES),
  category: z.enum(CASE_CATEGORIES),
  /** What a chat escalation was about, beside the case category it maps to. */
  escalation_category: z.enum(ESCALATION_CATEGORIES).nullable(),
  resolution_code: z.string().nullable(),
  opened_by_agent_id: z.string().nullable(),
  opened_at: Timestamp,
  closed_at: Timestamp.nullable(),
  notes: z.array(CaseNote),
  ticket_ids: z.array(z.string()),
  chat_transcript_hash: z.string().nullable(),
});

/** `POST /case`: for an active customer. */
export const openCase = defineRoute({
  method: "POST",
  path: PATH,
  summary: "Open a case for an active customer",
  body: z.object({
    customer_id: Text,
    subject: Text.max(200),
    description: z.string().max(10_000).optional(),
    priority: z.enum(PRIORITIES).default("medium"),
    category: z.enum(CASE_CATEGORIES).default("information"),
    escalation_category: z.enum(ESCALATION_CATEGORIES).optional(),
    opened_by_agent_id: Text.optional(),
    chat_transcript_hash: z.string().regex(/^[0-9a-fA-F]{64}$/)
      .transform((h) => h.toLowerCase()).optional(),
  }),
  response: Case,
  status: 201,
});

/** `GET /case`: newest first; `assignedAgentId` = cases with a ticket assigned to the agent. */
export const listCases = defineRoute({
  method: "GET",
  path: PATH,
  summary: "Cases, newest first",
  query: z.object({
    customerId: z.string().optional(),
    state: z.enum(CASE_STATES).optional(),
    assignedAgentId: z.string().optional(),
    ...paging(20),
  }),
  response: z.array(Case),
});

/** `GET /case/{id}`. */
export const getCase = defineRoute({
  method: "GET",
  path: `${PATH}/:id`,
  summary: "One case",
  params: Id,
  response: Case,
});

/** `PATCH /case/{id}`: the trigger first, then the fields; something must be given. */
export const updateCase = defineRoute({
  method: "PATCH",
  path: `${PATH}/:id`,
  summary: "Fire a trigger on a case and/or change its priority, category, resolution code",
  params: Id,
  body: someField(z.object({
    trigger: z.enum(CASE_TRIGGERS).optional(),
    resolution_code: Text.max(100).optional(),
    // Checked by the rule case.update.invalid_priority rather than here.
    priority: z.string().optional(),
    category: z.enum(CASE_CATEGORIES).optional(),
  })),
  response: Case,
});

/** `POST /case/{id}/close`: with a resolution code, given here or stored before. */
export const closeCase = defineRoute({
  method: "POST",
  path: `${PATH}/:id/close`,
  summary: "Close a case (resolving it first when it may)",
  params: Id,
  body: z.object({ resolution_code: Text.max(100).optional() }),
  response: Case,
});

/** `POST /case/{id}/note`. */
export const addCaseNote = defineRoute({
  method: "POST",
  path: `${PATH}/:id/note`,
  summary: "Add a note to a case",
  params: Id,
  body: z.object({ body: Text.max(10_000), author_agent_id: Text.optional() }),
  response: CaseNote,
  status: 201,
});

/** The case endpoints. */
export function caseEndpoints({ sql }: Pick<Deps, "sql">): Endpoint[] {
  return [
    endpoint(openCase, async ({ body }, c) => {
      const opened = await cases.openCase(sql, {
        customerId: body.customer_id,
        subject: body.subject,
        description: body.description,
        priority: body.priority,
        category: body.category,
        escalationCategory: body.escalation_category,
        openedByAgentId: body.opened_by_agent_id,
        chatTranscriptHash: body.chat_transcript_hash,
      });
      c.header("Location", `${PATH}/${opened.id}`);
      return opened;
    }),
    endpoint(listCases, ({ query }) => queries.listCases(sql, query)),
    endpoint(getCase, async ({ params }) => {
      const found = await queries.getCase(sql, params.id);
      if (!found) throw new NotFound("Case", params.id);
      return found;
    }),
    endpoint(updateCase, ({ params, body }) =>
      cases.updateCase(sql, params.id, {
        trigger: body.trigger,
        resolutionCode: body.resolution_code,
        priority: body.priority,
        category: body.category,
      })),
    endpoint(
      closeCase,
      ({ params, body }) => cases.closeCase(sql, params.id, body.resolution_code),
    ),
    endpoint(
      addCaseNote,
      ({ params, body }) =>
        cases.addCaseNote(sql, params.id, { body: body.body, authorAgentId: body.author_agent_id }),
    ),
  ];
}
