/**
 * Cases: the list (by state), and a case with its notes and tickets, to add a note, move it on
 * (the states the case machine allows from where it is) or close it (a danger section: every
 * ticket must be resolved first, and a closed case stays closed).
 *
 * @module
 */
import type { Hono } from "hono";
import { CASE_MACHINE, CASE_STATES } from "../../../actors/crm/case_machine.ts";
import { ScrollTable } from "../../components/table.tsx";
import { Form } from "../../render.tsx";
import { writeRoute } from "../app.tsx";
import type { CsrEnv } from "../env.ts";
import { DangerConfirm, page } from "../render.tsx";
import type { CaseRow } from "./shapes.ts";
import { when } from "./shapes.ts";

/** The states a case in `state` may move to, closing left to its own danger section. */
function movesFrom(state: string): string[] {
  const targets = Object.values(CASE_MACHINE)
    .filter((t) => (t.from as readonly string[]).includes(state) && t.to !== "closed")
    .map((t) => t.to);
  return [...new Set(targets)];
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
    const moves = movesFrom(k.state);
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
        {k.ticket_ids.length > 0 && <p>Tickets: {k.ticket_ids.join(", ")}</p>}
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
}
