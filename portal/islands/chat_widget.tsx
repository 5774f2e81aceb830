/**
 * Island: the floating chat on every signed-in page. Rendered on the server as a plain link
 * to `/chat` (so without JavaScript it is the chat page); hydrated, the link opens a popup
 * that loads the conversation (`/chat/thread`), posts questions with the page's CSRF secret
 * and streams the answer over the same SSE as the chat page (`/chat/events/{turn}`). A cap
 * shows a banner with the time to try again; a proposed cancellation is confirmed on the chat
 * page, behind its step-up.
 *
 * @module
 */
import { useEffect, useRef, useState } from "preact/hooks";

interface Line {
  role: "user" | "assistant";
  content: string;
}

/** The `done` frame of a turn's stream. */
interface Done {
  reply: string;
  proposal: string | null;
  caseId: string | null;
  retryAt: string | null;
}

/** When a capped chat may ask again, in the visitor's words. */
export function retryText(retryAt: string): string {
  const at = new Date(retryAt);
  return `You have reached the chat limit for now. You can ask again at ${
    at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
  }.`;
}

/** The widget; `csrf` is the session's form secret. */
export default function ChatWidget({ csrf }: { csrf: string }) {
  const [open, setOpen] = useState(false);
  const [lines, setLines] = useState<Line[]>([]);
  const [live, setLive] = useState<string | undefined>();
  const [notice, setNotice] = useState<{ text: string; href?: string } | undefined>();
  const [question, setQuestion] = useState("");
  const thread = useRef<HTMLOListElement>(null);

  useEffect(() => {
    if (!open) return;
    fetch("/chat/thread").then((r) => r.ok ? r.json() : { lines: [] })
      .then((t: { lines: Line[]; retryAt: string | null }) => {
        setLines(t.lines);
        if (t.retryAt) setNotice({ text: retryText(t.retryAt) });
      });
  }, [open]);
  useEffect(() => thread.current?.lastElementChild?.scrollIntoView(), [lines, live]);

  const ask = async (e: Event) => {
    e.preventDefault();
    const message = question.trim();
    if (!message || live !== undefined) return;
    setQuestion("");
    setNotice(undefined);
    setLines((all) => [...all, { role: "user", content: message }]);
    setLive("…");
    const posted = await fetch("/chat/message", {
      method: "POST",
      headers: { accept: "application/json" },
      body: new URLSearchParams({ message, csrf }),
    });
    const { turn } = posted.ok ? await posted.json() : { turn: undefined };
    if (!turn) {
      setLive(undefined);
      setNotice({ text: "The chat is not available right now. Please try again." });
      return;
    }
    let text = "";
    const source = new EventSource(`/chat/events/${turn}`);
    source.addEventListener("text", (m) => setLive(text += (m as MessageEvent).data));
    source.addEventListener("tool", (m) => setLive(`${text} [${(m as MessageEvent).data}…]`));
    source.addEventListener("done", (m) => {
      source.close();
      const done = JSON.parse((m as MessageEvent).data) as Done;
      setLive(undefined);
      setLines((all) => [...all, { role: "assistant", content: done.reply }]);
      if (done.retryAt) setNotice({ text: retryText(done.retryAt) });
      else if (done.proposal) {
        setNotice({ text: `Confirm ${done.proposal} on the chat page.`, href: "/chat" });
      } else if (done.caseId) setNotice({ text: `We opened case ${done.caseId} for you.` });
    });
  };

  if (!open) {
    return (
      <a
        class="chat-fab button"
        href="/chat"
        onClick={(e) => {
          e.preventDefault();
          setOpen(true);
        }}
      >
        Chat with us
      </a>
    );
  }
  return (
    <section class="chat-popup card" role="dialog" aria-label="Chat with us">
      <header>
        <strong>Ask us</strong>
        <button type="button" class="secondary" onClick={() => setOpen(false)}>Close</button>
      </header>
      <ol class="chat-thread" aria-live="polite" ref={thread}>
        {lines.map((l, i) => (
          <li key={i} class={`chat-bubble chat-bubble-${l.role}`}>{l.content}</li>
        ))}
        {live !== undefined && <li class="chat-bubble chat-bubble-assistant">{live}</li>}
      </ol>
      {notice && (
        <p class="banner" role="status">
          {notice.href ? <a href={notice.href}>{notice.text}</a> : notice.text}
        </p>
      )}
      <form onSubmit={ask}>
        <label for="chat-widget-message">Your question</label>
        <textarea
          id="chat-widget-message"
          rows={2}
          maxLength={2000}
          value={question}
          onInput={(e) => setQuestion((e.target as HTMLTextAreaElement).value)}
        />
        <div class="actions">
          <button type="submit" disabled={live !== undefined}>Send</button>
          <a href="/chat">Open the chat page</a>
        </div>
      </form>
    </section>
  );
}
