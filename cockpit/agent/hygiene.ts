/**
 * Output hygiene (docs/handbook, the cockpit page): what a model writes is cleaned before an
 * operator or customer sees it. Channel markup and reasoning blocks are dropped; "proposals"
 * written as prose — a `PROPOSE` banner, a `tool.name(...)` call shape, "I will call …",
 * "type /confirm" — are removed, because only a real tool call is staged. A reply that made
 * such a claim while no tool was called is replaced by {@link NO_PENDING_NOTICE}.
 *
 * @module
 */

/** Shown instead of a reply that narrated a proposal without making the call. */
export const NO_PENDING_NOTICE =
  "(The model described an action instead of calling it, so nothing is pending and nothing " +
  "ran. Ask again, naming the action.)";

const CHANNEL_MARKUP = /<\|?channel\|?>|<\/channel>|^\s*assistantfinal\s*$/gim;
const REASONING_BLOCK = /<(think|thinking)>[\s\S]*?<\/\1>/gi;
const UNCLOSED_REASONING = /<(think|thinking)>[\s\S]*$/i;
const REASONING_HEADER = /^\s*(thought|thinking)\s*:?[^\n]*\n/i;
const PROPOSE_BANNER = /^.*\[⚠\]\s*PROPOSE\b.*$/gim;
const CALL_SHAPE = /`{0,3}\b[a-z_]+(?:\.[a-z_]+)+\([^)\n]*\)`{0,3}/gi;
const LEAD_IN =
  /\b(I'll|I will|I would like to|I intend to|I propose to|I'm going to)\s+(propose|call|invoke|terminate|cancel|close|remove|refund|revoke|run|execute)\b[^.\n]*[.:]?/gi;
const CONFIRM_SENTENCE = /[^.\n]*\b(please\s+)?type\s+`?\/?confirm`?[^.\n]*\.?/gi;

/** A cleaned reply and whether a fake proposal was taken out of it. */
export interface Cleaned {
  text: string;
  /** A proposal banner or call shape was removed: the model narrated an action. */
  narrated: boolean;
}

/** Drops channel markup and reasoning. */
export function stripReasoning(text: string): string {
  return text.replace(CHANNEL_MARKUP, "").replace(REASONING_BLOCK, "")
    .replace(UNCLOSED_REASONING, "").replace(REASONING_HEADER, "");
}

/** The full hygiene pass of spec'd reply text. */
export function cleanReply(raw: string): Cleaned {
  let text = stripReasoning(raw);
  const before = text;
  text = text.replace(PROPOSE_BANNER, "").replace(CALL_SHAPE, "");
  const narrated = text !== before;
  if (narrated) text = text.replace(LEAD_IN, "").replace(/``+/g, "");
  const mentionsConfirm = /\/confirm|type\s+confirm/i.test(text);
  text = text.replace(CONFIRM_SENTENCE, "");
  text = text.replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim();
  return { text, narrated: narrated || mentionsConfirm };
}

/**
 * The reply to show after hygiene: a narrated proposal with no tool called this turn
 * becomes {@link NO_PENDING_NOTICE}.
 */
export function hygienicReply(raw: string, toolsCalled: number): string {
  const { text, narrated } = cleanReply(raw);
  if (narrated && toolsCalled === 0) return NO_PENDING_NOTICE;
  return text;
}
