/**
 * Ask the agent (`/ask`): one question to the cockpit's agent — the same model, prompt and
 * operator tools as `bss ask` — answered on the page with each tool it called, shown as its
 * card. The gate stays closed: a destructive call is only proposed, and the page says where to
 * do it (the danger section of its page). Conversations with sessions stay in the REPL.
 *
 * @module
 */
import type { Hono } from "hono";
import { askOnce, NoModel } from "../../../cockpit/agent/ask.ts";
import { hasModel } from "../../../cockpit/agent/model.ts";
import { renderToolResult, SHOWN_AS } from "../../../cockpit/render/dispatch.ts";
import { Form } from "../../render.tsx";
import type { CsrEnv } from "../env.ts";
import { page } from "../render.tsx";

/** How long a question may take (a model and its tool calls). */
const ASK_MS = 120_000;

function AskForm({ question }: { question: string }) {
  return (
    <Form action="/ask">
      <label for="question">Your question</label>
      <textarea id="question" name="question" rows={3} required maxLength={2000}>
        {question}
      </textarea>
      <button type="submit">Ask</button>
    </Form>
  );
}

/** A tool's result as its card (as the REPL prints it), else as JSON, cut short. */
function shown(name: string, result: unknown): string {
  const json = JSON.stringify(result) ?? "null";
  return renderToolResult(SHOWN_AS[name] ?? name, json, { width: 120, color: false }) ??
    JSON.stringify(result, null, 2).slice(0, 2000);
}

/** Mounts the ask page. */
export function askRoutes(app: Hono<CsrEnv>): void {
  app.get("/ask", (c) => {
    const about = c.req.query("about");
    const ready = hasModel(c.get("crm").config);
    return page(
      c,
      "Ask the agent",
      <section>
        <h1>Ask the agent</h1>
        {ready ? <AskForm question={about ? `About ${about}: ` : ""} /> : (
          <p>
            No model is configured: set <code>BSS_LLM_BASE_URL</code> (and its key) or{" "}
            <code>BSS_LLM_FIXTURE_PATH</code>, then restart.
          </p>
        )}
      </section>,
    );
  });

  app.post("/ask", async (c) => {
    const { config, bss } = c.get("crm");
    const form = await c.req.parseBody();
    const question = String(form.question ?? "").trim().slice(0, 2000);
    if (!question) return c.redirect("/ask", 303);
    let asked;
    try {
      asked = await askOnce(config, bss.ctx, question, { timeoutMs: ASK_MS });
    } catch (e) {
      if (!(e instanceof NoModel)) throw e;
      return c.redirect("/ask", 303);
    }
    return page(
      c,
      "Ask the agent",
      <section class="ask">
        <h1>Ask the agent</h1>
        <p class="question">
          <strong>You:</strong> {question}
        </p>
        {asked.calls.map((call) => (
          <details key={call.callId} open class="tool-call">
            <summary>
              {call.blocked ? "Proposed, not done: " : ""}
              <code>{call.name}</code> {JSON.stringify(call.args)}
            </summary>
            {call.blocked
              ? (
                <p>
                  A destructive action waits for a person: do it from the danger section of its page
                  here, or confirm it in <code>deno task repl</code>.
                </p>
              )
              : <pre>{shown(call.name, call.result)}</pre>}
          </details>
        ))}
        <p class="answer">
          <strong>Agent:</strong> {asked.answer || "(no reply)"}
        </p>
        <AskForm question="" />
      </section>,
    );
  });
}
