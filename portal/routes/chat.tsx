/**
 * The chat page: the conversation so far, a box to ask, the answer streamed over SSE
 * (`/chat/events/{turn}`; without JavaScript the page refreshes until the turn is done), a
 * reset, and — when the assistant proposed a destructive action — a confirm button behind
 * the same step-up as the page's own form for it. Customer text is shown as text, never as
 * markup; tool output is never shown, only the tool's name.
 *
 * @module
 */
import type { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { isFailure } from "../../cockpit/agent/ledger.ts";
import { hasModel } from "../../cockpit/agent/model.ts";
import { PolicyViolation } from "../../kernel/errors.ts";
import type { ToolError } from "../../tools/call.ts";
import { recordAction, refusal } from "../actions.tsx";
import { stepUp } from "../auth/step_up.ts";
import type { ChatTurns } from "../chat_turns.ts";
import type { PortalEnv } from "../env.ts";
import { customerOf, gate } from "../gates.ts";
import { Form, page } from "../render.tsx";

/** Mounts the chat on `chats`. */
export function chatRoutes(app: Hono<PortalEnv>, chats: ChatTurns): void {
  app.get("/chat", gate("linked"), (c) => {
    const { config } = c.get("portal");
    if (!hasModel(config)) {
      return page(
        c,
        "Chat",
        <section class="card chat" data-chat="unavailable">
          <h1>Ask us</h1>
          <p>
            The chat assistant is not available on this service. For help, write to{" "}
            <a href={`mailto:${config.BSS_OPERATOR_SUPPORT_EMAIL}`}>
              {config.BSS_OPERATOR_SUPPORT_EMAIL}
            </a>.
          </p>
          <a href="/">Back to your account</a>
        </section>,
      );
    }
    const customerId = customerOf(c);
    const chat = chats.conversation(customerId);
    const turnId = c.req.query("turn") ?? "";
    const turn = chats.turn(customerId, turnId);
    const live = turn && turn !== "foreign" && !turn.done ? turn : undefined;
    const proposal = chats.proposal(customerId);
    const retryAt = capped(chat.retryAt);
    return page(
      c,
      "Chat",
      <section class="card chat">
        <h1>Ask us</h1>
        {retryAt && (
          <p class="banner" role="alert">
            You have reached the chat limit for now. You can ask again after {retryAt.slice(11, 16)}
            {" "}
            UTC.
          </p>
        )}
        {live && (
          <noscript>
            <meta http-equiv="refresh" content="1" />
          </noscript>
        )}
        <ol class="chat-thread" aria-live="polite">
          {chat.lines.map((l, i) => (
            <li key={i} class={`chat-bubble chat-bubble-${l.role}`}>{l.content}</li>
          ))}
          {live && (
            <li
              class="chat-bubble chat-bubble-assistant chat-live"
              data-turn={live.id}
            >
              …
            </li>
          )}
        </ol>
        {proposal && (
          <Form action="/chat/confirm" class="chat-proposal">
            <p>
              The assistant proposed <strong>{proposal.tool}</strong>. Confirm to go ahead.
            </p>
            <button type="submit" class="danger">Confirm</button>
          </Form>
        )}
        <Form action="/chat/message">
          <label for="message">Your question</label>
          <textarea id="message" name="message" rows={3} maxLength={2000} required />
          <div class="actions">
            <button type="submit">Send</button>
            {/* Submits the form below: beside Send, but not part of the question's form. */}
            <button type="submit" class="secondary" form="chat-reset">Start over</button>
          </div>
        </Form>
        <Form action="/chat/reset" id="chat-reset" />
        <p class="muted">
          The assistant can see your account and act on it for you; for anything it cannot do it
          opens a case for a person.
        </p>
        {live && (
          <script
            // deno-lint-ignore react-no-danger
            dangerouslySetInnerHTML={{ __html: streamScript(live.id) }}
          />
        )}
      </section>,
    );
  });

  // The widget asks for JSON (the turn to stream); a form post is sent to the chat page.
  app.post("/chat/message", gate("linked"), async (c) => {
    const wantsJson = c.req.header("accept")?.includes("application/json");
    const form = await c.req.parseBody();
    const message = String(form.message ?? "").trim().slice(0, 2000);
    if (!message) return wantsJson ? c.json({ turn: null }, 400) : c.redirect("/chat", 303);
    // Without a model the chat page says so; nothing is started.
    if (!hasModel(c.get("portal").config)) {
      return wantsJson ? c.json({ turn: null }, 503) : c.redirect("/chat", 303);
    }
    const turn = chats.start(customerOf(c), message, c.get("ip"));
    return wantsJson ? c.json({ turn: turn.id }) : c.redirect(`/chat?turn=${turn.id}`, 303);
  });

  /** The conversation so far, for the widget. */
  app.get("/chat/thread", gate("linked"), (c) => {
    const chat = chats.conversation(customerOf(c));
    return c.json({ lines: chat.lines, retryAt: capped(chat.retryAt) ?? null });
  });

  app.post("/chat/reset", gate("linked"), (c) => {
    chats.reset(customerOf(c));
    return c.redirect("/chat", 303);
  });

  app.post("/chat/confirm", gate("linked"), stepUp("subscription_terminate"), async (c) => {
    const customerId = customerOf(c);
    const proposal = chats.takeProposal(customerId);
    if (!proposal) return c.redirect("/chat", 303);
    const action = `chat:${proposal.tool}`;
    // The agent's way of calling never throws: a failure comes back as the result.
    const result = await chats.core.confirm(customerId, proposal);
    if (isFailure(result)) {
      const failure = result as ToolError;
      if ("rule" in failure) {
        return await refusal(c, action, new PolicyViolation(failure.rule, failure.detail));
      }
      await recordAction(c, action, { success: false });
      chats.conversation(customerId).lines.push({
        role: "assistant",
        content: `That did not go through (${failure.detail}). Please check the line before ` +
          "trying again.",
      });
      return c.redirect("/chat", 303);
    }
    await recordAction(c, action, { success: true });
    chats.conversation(customerId).lines.push({
      role: "assistant",
      content: `Done: ${proposal.tool}.`,
    });
    return c.redirect("/chat", 303);
  });

  app.get("/chat/events/:turn", gate("linked"), (c) => {
    const turn = chats.turn(customerOf(c), c.req.param("turn"));
    if (!turn) return c.text("not found", 404);
    if (turn === "foreign") return c.text("forbidden", 403);
    c.header("x-accel-buffering", "no");
    return streamSSE(c, async (stream) => {
      let sent = 0;
      let wake = () => {};
      const notify = () => wake();
      turn.listeners.add(notify);
      stream.onAbort(() => wake());
      try {
        await stream.writeSSE({ event: "status", data: "live" });
        while (!stream.aborted) {
          while (sent < turn.frames.length) {
            const f = turn.frames[sent++];
            await stream.writeSSE({ event: f.event, data: f.data.replaceAll("\n", " ") });
          }
          if (turn.done) break;
          await new Promise<void>((r) => {
            wake = r;
            setTimeout(r, 15_000);
          });
        }
        await stream.writeSSE({ event: "status", data: "done" });
      } finally {
        turn.listeners.delete(notify);
      }
    });
  });
}

/** The time a cap lifts, while it holds. */
function capped(retryAt: Date | undefined): string | undefined {
  return retryAt && retryAt.getTime() > Date.now() ? retryAt.toISOString() : undefined;
}

/** The few lines that stream a turn into its bubble, then reload the thread. */
function streamScript(turn: string): string {
  return `(() => {
  const bubble = document.querySelector('[data-turn="${turn}"]');
  const source = new EventSource("/chat/events/${turn}");
  let text = "";
  source.addEventListener("text", (e) => { text += e.data; bubble.textContent = text; });
  source.addEventListener("tool", (e) => { bubble.textContent = text + " [" + e.data + "…]"; });
  source.addEventListener("done", () => { source.close(); location.replace("/chat"); });
})();`;
}
