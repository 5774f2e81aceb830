/**
 * Case writes (docs/domain.md §3–4.1, docs/flows.md §4 "Cases", docs/http.md §6.4): open, edit, move, close
 * (resolving first when it may) and annotate. Each runs in one transaction with its events
 * and interactions.
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import { currentCaller } from "../../kernel/context.ts";
import type { Pool } from "../../kernel/db/types.ts";
import { emit } from "../../kernel/events.ts";
import { nextId, randomId } from "../../kernel/ids.ts";
import { requireAgent } from "./agents.ts";
import type { CaseTrigger } from "./case_machine.ts";
import { lockCase, moveCase } from "./case_moves.ts";
import {
  caseTarget,
  requireActiveCustomer,
  requireCaseOpen,
  requireKnownPriority,
  requireResolutionCode,
} from "./case_policies.ts";
import { type CaseNoteView, type CaseView, getCase, noteView } from "./case_queries.ts";
import { logInteraction } from "./interactions.ts";
import type { CaseCategory, EscalationCategory, Priority } from "./vocab.ts";

/** A case to open. */
export interface NewCase {
  customerId: string;
  subject: string;
  description?: string | null;
  priority: Priority;
  category: CaseCategory;
  /** What a chat escalation was about. */
  escalationCategory?: EscalationCategory | null;
  openedByAgentId?: string | null;
  chatTranscriptHash?: string | null;
}

/** Opens a case for an active customer. */
export function openCase(sql: Pool, c: NewCase): Promise<CaseView> {
  return sql.begin(async (tx) => {
    await requireActiveCustomer(tx, c.customerId);
    if (c.openedByAgentId) await requireAgent(tx, c.openedByAgentId);
    const id = await nextId(tx, "CASE");
    await tx`insert into crm.case (id, customer_id, subject, description, priority, category,
        escalation_category, opened_by_agent_id, opened_at, chat_transcript_hash, tenant_id)
      values (${id}, ${c.customerId}, ${c.subject}, ${c.description ?? null}, ${c.priority},
        ${c.category}, ${c.escalationCategory ?? null}, ${c.openedByAgentId ?? null},
        ${clock.now()}, ${c.chatTranscriptHash ?? null}, ${currentCaller().tenant})`;
    await emit(tx, {
      type: "case.opened",
      aggregateType: "case",
      aggregateId: id,
      payload: { customer_id: c.customerId, subject: c.subject },
    });
    await logInteraction(tx, {
      customerId: c.customerId,
      summary: `Case ${id} opened: ${c.subject}`,
      agentId: c.openedByAgentId,
      relatedCaseId: id,
    });
    return (await getCase(tx, id))!;
  });
}

/** A case edit: a trigger, then field changes. */
export interface CasePatch {
  trigger?: CaseTrigger;
  resolutionCode?: string;
  /** Checked against the vocabulary here (`case.update.invalid_priority`). */
  priority?: string;
  category?: CaseCategory;
}

/**
 * Fires the trigger, then applies the fields (a closed case takes none); a resolution code
 * given with a `close` trigger is the one it closes with. `case.updated` carries what changed,
 * if anything.
 */
export function updateCase(sql: Pool, id: string, patch: CasePatch): Promise<CaseView> {
  return sql.begin(async (tx) => {
    const c = await lockCase(tx, id);
    if (patch.trigger) caseTarget(c.state, patch.trigger);
    const changed: Record<string, { from: string | null; to: string }> = {};
    if (patch.resolutionCode !== undefined && patch.resolutionCode !== c.resolution_code) {
      requireCaseOpen("case.update.case_is_closed", id, c.state);
      changed.resolution_code = { from: c.resolution_code, to: patch.resolutionCode };
      c.resolution_code = patch.resolutionCode;
    }
    if (patch.trigger) await moveCase(tx, c, patch.trigger);
    const priority = patch.priority === undefined
      ? c.priority
      : requireKnownPriority(patch.priority);
    const category = patch.category ?? c.category;
    const edits = [["priority", c.priority, priority], ["category", c.category, category]] as const;
    for (const [key, from, to] of edits) {
      if (from === to) continue;
      requireCaseOpen("case.update.case_is_closed", id, c.state);
      changed[key] = { from, to };
    }
    Object.assign(c, { priority, category });
    if (Object.keys(changed).length > 0) {
      await tx`update crm.case set priority = ${c.priority}, category = ${c.category},
          resolution_code = ${c.resolution_code}, updated_at = kernel.bss_now()
        where id = ${id}`;
      await emit(tx, {
        type: "case.updated",
        aggregateType: "case",
        aggregateId: id,
        payload: { changed },
      });
      await logInteraction(tx, {
        customerId: c.customer_id,
        summary: `Case ${id} updated: ${Object.keys(changed).join(", ")}`,
        relatedCaseId: id,
      });
    }
    return (await getCase(tx, id))!;
  });
}

/** Closes a case with a resolution code (given or stored), resolving it first when it may. */
export function closeCase(sql: Pool, id: string, resolutionCode?: string): Promise<CaseView> {
  return sql.begin(async (tx) => {
    const c = await lockCase(tx, id);
    const resolveFirst = c.state === "open" || c.state === "in_progress";
    if (!resolveFirst) caseTarget(c.state, "close");
    c.resolution_code = requireResolutionCode(resolutionCode ?? c.resolution_code);
    if (resolveFirst) await moveCase(tx, c, "resolve");
    await tx`update crm.case set resolution_code = ${c.resolution_code} where id = ${id}`;
    await moveCase(tx, c, "close");
    return (await getCase(tx, id))!;
  });
}

/** Adds a note to a case that is not closed. */
export function addCaseNote(
  sql: Pool,
  caseId: string,
  note: { body: string; authorAgentId?: string | null },
): Promise<CaseNoteView> {
  return sql.begin(async (tx) => {
    const c = await lockCase(tx, caseId);
    requireCaseOpen("case.add_note.case_is_closed", caseId, c.state);
    if (note.authorAgentId) await requireAgent(tx, note.authorAgentId);
    const [row] = await tx`insert into crm.case_note (id, case_id, author_agent_id, body,
        created_at, tenant_id)
      values (${randomId("NOTE")}, ${caseId}, ${note.authorAgentId ?? null}, ${note.body},
        ${clock.now()}, ${currentCaller().tenant})
      returning *`;
    await emit(tx, {
      type: "case.note_added",
      aggregateType: "case",
      aggregateId: caseId,
      payload: { note_id: row.id },
    });
    await logInteraction(tx, {
      customerId: c.customer_id,
      summary: `Note added to case ${caseId}`,
      body: note.body,
      agentId: note.authorAgentId,
      relatedCaseId: caseId,
    });
    return noteView(row);
  });
}
