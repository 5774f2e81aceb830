/**
 * Cases: the list (by state), and a case with its notes and tickets, to add a note, move it on
 * (the states the case machine allows from where it is) or close it (a danger section: every
 * ticket must be resolved first, and a closed case stays closed).
 *
 * @module
 */
import type { Hono } from "hono";
import { CASE_MACHINE, CASE_STATES } from "../../../actors/crm/case_machine.ts";
import { TICKET_MACHINE } from "../../../actors/crm/ticket_machine.ts";
import { TICKET_TYPES } from "../../../actors/crm/vocab.ts";
import { ScrollTable } from "../../components/table.tsx";
import { Form } from "../../render.tsx";
import { writeRoute } from "../app.tsx";
import type { CsrEnv } from "../env.ts";
import { DangerConfirm, page } from "../render.tsx";
import type { CaseRow } from "./shapes.ts";
import { when } from "./shapes.ts";

/**
 * The states a record in `state` may move to under `machine`, but `held` (each with a form of
 * its own: closing a case, resolving with notes, cancelling).
 */
function movesFrom(
  machine: Record<string, { from: readonly string[]; to: string }>,
  state: string,
  held: readonly string[],
): string[] {
  const targets = Object.values(machine)
    .filter((t) => t.from.includes(state) && !held.includes(t.to))
    .map((t) => t.to);
  return [...new Set(targets)];
}

interface Ticket {
  id: string;
  ticketType: string;
  subject: string;
  state: string;
  slaDueAt: string | null;
  assignedToAgentId: string | null;
}

interface Agent {
  id: string;
  name: string;
}

/** A case's tickets: each moved on, resolved with notes, or cancelled (a danger section). */
function Tickets(
  { caseId, tickets, agents }: { caseId: string; tickets: Ticket[]; agents: Agent[] },
) {
  return (
    <>
      {tickets.map((t) => {
        const live = t.state !== "closed" && t.state !== "cancelled";
        const moves = movesFrom(TICKET_MACHINE, t.state, ["resolved", "cancelled"]);
        return (
          <article class="ticket card" key={t.id}>
            <p>
              <strong>{t.id}</strong> · {t.ticketType} · {t.subject} · <strong>{t.state}</strong>
              {t.slaDueAt ? ` · due ${when(t.slaDueAt)}` : ""}
              {` · ${t.assignedToAgentId ?? "unassigned"}`}
            </p>
            {live && (
              <Form action={`/tickets/${t.id}/assign`} class="inline">
                <input type="hidden" name="case_id" value={caseId} />
                <select name="agent_id" aria-label={`Assign ${t.id} to`}>
                  {agents.map((a) => (
                    <option key={a.id} value={a.id} selected={a.id === t.assignedToAgentId}>
                      {a.name} ({a.id})
                    </option>
                  ))}
                </select>
                <button type="submit" class="secondary">Assign</button>
              </Form>
            )}
            {live && moves.length > 0 && (
              <Form action={`/tickets/${t.id}/transition`} class="inline">
                <input type="hidden" name="case_id" value={caseId} />
                <select name="to_state" aria-label={`Move ${t.id} to`}>
                  {moves.map((s) => <option key={s} value={s}>{s}</option>)}
                </select>
                <button type="submit" class="secondary">Move ticket</button>
              </Form>
            )}
            {t.state === "in_progress" && (
              <Form action={`/tickets/${t.id}/resolve`} class="inline">
                <input type="hidden" name="case_id" value={caseId} />
                <input
                  name="resolution_notes"
                  required
                  aria-label="Resolution notes"
                  placeholder="How it was resolved"
                />
                <button type="submit" class="secondary">Resolve ticket</button>
              </Form>
            )}
            {live && t.state !== "resolved" && (
              <DangerConfirm
                action={`/tickets/${t.id}/cancel`}
                label={`Cancel ${t.id}`}
                consequence="A cancelled ticket stays cancelled; the work it tracked is dropped."
              >
                <input type="hidden" name="case_id" value={caseId} />
              </DangerConfirm>
            )}
          </article>
        );
      })}
      <Form action={`/cases/${caseId}/ticket`} class="inline">
        <label for="ticket_type">Open a ticket</label>
        <select id="ticket_type" name="ticket_type">
          {TICKET_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
        <input
          name="subject"
          required
          maxLength={200}
          aria-label="Ticket subject"
          placeholder="Subject"
        />
        <button type="submit" class="secondary">Open ticket</button>
      </Form>
    </>
  );
}

/** Cases as a table, each linked (and its customer, `withCustomer`), or "No cases.". */
export function CaseTable({ cases, withCustomer = false }: {
  cases: CaseRow[];
  withCustomer?: boolean;
}) {
  if (!cases.length) return <p>No cases.</p>;
  const head = ["Case", "Subject", "State", "Priority", "Opened"];
  return (
    <ScrollTable head={withCustomer ? ["Case", "Customer", ...head.slice(1)] : head}>
      {cases.map((k) => (
        <tr key={k.id}>
          <td>
            <a href={`/cases/${k.id}`}>{k.id}</a>
          </td>
          {withCustomer && (
            <td>
              <a href={`/customers/${k.customer_id}`}>{k.customer_id}</a>
            </td>
          )}
          <td>{k.subject}</td>
          <td>{k.state}</td>
          <td>{k.priority}</td>
          <td>{when(k.opened_at)}</td>
        </tr>
      ))}
    </ScrollTable>
  );
}

/** Mounts the case pages. */
export function caseRoutes(app: Hono<CsrEnv>): void {
  app.get("/cases", async (c) => {
    const state = CASE_STATES.find((s) => s === c.req.query("state"));
    const cases = await c.get("crm").bss.run<CaseRow[]>("case.list", { state, limit: 100 });
    return page(
      c,
      "Cases",
      <section>
        <h1>Cases{state ? `: ${state}` : ""}</h1>
        <p class="filters">
          <a href="/cases">all</a>
          {CASE_STATES.map((s) => (
            <span key={s}>
              {" · "}
              <a href={`/cases?state=${s}`}>{s}</a>
            </span>
          ))}
        </p>
        <CaseTable cases={cases} withCustomer />
      </section>,
    );
  });

  app.get("/cases/:id", async (c) => {
    const k = await c.get("crm").bss.run<CaseRow>("case.get", { case_id: c.req.param("id") });
    const { bss } = c.get("crm");
    const moves = movesFrom(CASE_MACHINE, k.state, ["closed"]);
    const [tickets, agents] = await Promise.all([
      bss.run<Ticket[]>("ticket.list", { case_id: k.id }),
      bss.run<Agent[]>("agents.list", { state: "active" }).catch(() => []),
    ]);
    return page(
      c,
      k.id,
      <section class="case">
        <h1>
          {k.subject} <small>{k.id}</small>
        </h1>
        <p>
          <strong>{k.state}</strong> · {k.priority} priority · {k.category} · customer{" "}
          <a href={`/customers/${k.customer_id}`}>{k.customer_id}</a> · opened {when(k.opened_at)}
          {k.closed_at ? ` · closed ${when(k.closed_at)}` : ""}
        </p>
        {k.description && <p class="case-about">{k.description}</p>}
        <h2>Tickets</h2>
        {k.state === "closed"
          ? <p>{tickets.map((t) => `${t.id} ${t.state}`).join(" · ") || "None."}</p>
          : <Tickets caseId={k.id} tickets={tickets} agents={agents} />}
        <h2>Notes</h2>
        {k.notes.length === 0 ? <p>No notes yet.</p> : (
          <ul class="notes">
            {k.notes.map((n) => (
              <li key={n.id}>
                {when(n.created_at)} · {n.author_agent_id ?? "—"}: {n.body}
              </li>
            ))}
          </ul>
        )}
        {k.state !== "closed" && (
          <>
            <Form action={`/cases/${k.id}/note`}>
              <label for="body">Add a note</label>
              <textarea id="body" name="body" rows={3} required />
              <button type="submit">Add note</button>
            </Form>
            {moves.length > 0 && (
              <Form action={`/cases/${k.id}/transition`} class="inline">
                <label for="to_state">Move to</label>
                <select id="to_state" name="to_state">
                  {moves.map((s) => <option key={s} value={s}>{s}</option>)}
                </select>
                <button type="submit" class="secondary">Move</button>
              </Form>
            )}
            <DangerConfirm
              action={`/cases/${k.id}/close`}
              label="Close the case"
              consequence="A closed case stays closed; every ticket of it must be resolved first."
            />
          </>
        )}
      </section>,
    );
  });

  writeRoute(app, "/cases/:id/note", "Note added.", "case.add_note", (id, f) => ({
    case_id: id,
    body: f.body,
  }));
  writeRoute(app, "/cases/:id/transition", "Case moved.", "case.transition", (id, f) => ({
    case_id: id,
    to_state: f.to_state,
  }));
  writeRoute(app, "/cases/:id/close", "Case closed.", "case.close", (id) => ({ case_id: id }), {
    confirm: true,
  });
  writeRoute(app, "/cases/:id/ticket", "Ticket opened.", "ticket.open", (id, f) => ({
    case_id: id,
    ticket_type: f.ticket_type,
    subject: f.subject,
  }));
  // A ticket's writes go back to the case it was shown under.
  const toCase = {
    backTo: (_: string, f: Record<string, string>) =>
      /^CASE-[\w-]{1,40}$/.test(f.case_id) ? `/cases/${f.case_id}` : "/cases",
  };
  writeRoute(app, "/tickets/:id/assign", "Ticket assigned.", "ticket.assign", (id, f) => ({
    ticket_id: id,
    agent_id: f.agent_id,
  }), toCase);
  writeRoute(app, "/tickets/:id/transition", "Ticket moved.", "ticket.transition", (id, f) => ({
    ticket_id: id,
    to_state: f.to_state,
  }), toCase);
  writeRoute(app, "/tickets/:id/resolve", "Ticket resolved.", "ticket.resolve", (id, f) => ({
    ticket_id: id,
    resolution_notes: f.resolution_notes,
  }), toCase);
  writeRoute(app, "/tickets/:id/cancel", "Ticket cancelled.", "ticket.cancel", (id) => ({
    ticket_id: id,
  }), { ...toCase, confirm: true });
}
