/**
 * The conversation fed back to the model: stored messages minus chrome (error bubbles,
 * fallback notices — they would teach the model to repeat them), the newest 32 000
 * characters of it, whole messages, behind a note that says what was left out.
 *
 * @module
 */
import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { NO_CITATION } from "./citation.ts";
import { NO_PENDING_NOTICE } from "./hygiene.ts";
import type { Message } from "./store.ts";

/** How much of the conversation the model sees, in characters. */
export const WINDOW_CHARS = 32_000;

/** Starts of assistant messages that are the cockpit's own chrome, not the model's words. */
export const CHROME_PREFIXES: readonly string[] = [
  "Sorry — something went wrong",
  "(The model called ",
  "(no reply)",
  "(error: ",
  "LLM error:",
  NO_CITATION.slice(0, 30),
  NO_PENDING_NOTICE.slice(0, 30),
];

/** Whether a stored message is chrome. */
export function isChrome(m: Pick<Message, "role" | "content">): boolean {
  if (m.role !== "assistant") return false;
  const text = m.content.trim();
  return text === "" || CHROME_PREFIXES.some((p) => text.startsWith(p));
}

/** The tool name a tool message records. */
function toolName(m: Pick<Message, "toolCalls">): string {
  const calls = m.toolCalls as { tool_name?: string } | null;
  return calls?.tool_name ?? "tool";
}

/** One message as the model sees it. */
function asModelMessage(m: Pick<Message, "role" | "content" | "toolCalls">): BaseMessage {
  if (m.role === "user") return new HumanMessage(m.content);
  if (m.role === "assistant") return new AIMessage(m.content);
  return new SystemMessage(`(prior tool result for ${toolName(m)}):\n${m.content}`);
}

/** The elision note put before a cut conversation. */
export const ELIDED =
  `(Earlier messages of this session are left out: only the last ${WINDOW_CHARS} characters ` +
  "are kept. The operator can type /reset to start the conversation afresh.)";

/** The model's view of `messages`: chrome filtered, windowed to {@link WINDOW_CHARS}. */
export function historyFor(
  messages: readonly Pick<Message, "role" | "content" | "toolCalls">[],
  window = WINDOW_CHARS,
): BaseMessage[] {
  const kept = messages.filter((m) => !isChrome(m));
  const out: BaseMessage[] = [];
  let used = 0;
  for (let i = kept.length - 1; i >= 0; i--) {
    const size = kept[i].content.length;
    if (used + size > window) {
      out.unshift(new SystemMessage(ELIDED));
      return out;
    }
    used += size;
    out.unshift(asModelMessage(kept[i]));
  }
  return out;
}
