/**
 * The customer's support cases (`/support`): what the chat escalated or an agent opened for
 * them, newest first, with their state in words — read-only; a new question goes to the chat,
 * or to the support address where no chat is offered.
 *
 * @module
 */
import type { Hono } from "hono";
import { hasModel } from "../../cockpit/agent/model.ts";
import type { PortalEnv } from "../env.ts";
import { customerOf, gate } from "../gates.ts";
import { ScrollTable } from "../components/table.tsx";
import { page } from "../render.tsx";

/** A case as `case.list_for_me` answers it (the fields the page shows). */
interface MyCase {
  id: string;
  subject: string;
  state: string;
  opened_at: string;
  closed_at: string | null;
}

/** A case's state as the customer reads it. */
const STATE: Record<string, string> = {
  open: "Open",
  in_progress: "Being worked on",
  pending_customer: "Waiting for your reply",
  resolved: "Resolved",
  closed: "Closed",
};

/** Mounts the support cases page. */
export function supportRoutes(app: Hono<PortalEnv>): void {
  app.get("/support", gate("linked"), async (c) => {
    const { bss, config } = c.get("portal");
    const cases = await bss.run<MyCase[]>("case.list_for_me", {}, customerOf(c));
    const email = config.BSS_OPERATOR_SUPPORT_EMAIL;
    return page(
      c,
      "Support cases",
      <section>
        <h1>Support cases</h1>
        {cases.length === 0
          ? <p class="card empty-state">You have no support cases.</p>
          : (
            <ScrollTable head={["Opened", "About", "State", "Reference"]}>
              {cases.map((k) => (
                <tr class="case-row" data-case={k.id}>
                  <td class="nowrap">{k.opened_at.slice(0, 10)}</td>
                  <td>{k.subject}</td>
                  <td>{STATE[k.state] ?? k.state}</td>
                  <td class="nowrap">{k.id}</td>
                </tr>
              ))}
            </ScrollTable>
          )}
        <p>
          {hasModel(config)
            ? (
              <>
                Something new? <a href="/chat">Ask us in the chat</a>.
              </>
            )
            : (
              <>
                Something new? Write to <a href={`mailto:${email}`}>{email}</a>.
              </>
            )}
        </p>
        <p class="actions">
          <a href="/">Back to your account</a>
        </p>
      </section>,
    );
  });
}
