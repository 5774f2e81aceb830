/**
 * The citation guard (docs/handbook, the cockpit page): a reply that claims what the handbook
 * or a runbook says, in a turn that never searched the knowledge index, is replaced by
 * {@link NO_CITATION} — the agent may not invent documentation.
 *
 * @module
 */

/** What replaces an uncited claim about the docs. */
export const NO_CITATION =
  "I don't have a citation for that: I did not search the handbook this turn. Ask me to " +
  'look it up, or run `bss admin knowledge search "…"`.';

const CLAIMS = [
  /\b(per|according to|as per)\s+(the\s+)?(handbook|runbook|doctrine|README(\.md)?|DESIGN\.md|docs)\b/i,
  /\b(the|in the)\s+(handbook|runbook|doctrine)\s+(says|states|specifies|mentions|requires|forbids|allows)\b/i,
  /\bthe\s+docs?\s+(say|says|state|states|specify|specifies|mention|mentions|require|requires|forbid|forbids)\b/i,
];

/** The reply, or {@link NO_CITATION} when it cites docs no `knowledge.*` call backed. */
export function guardCitations(reply: string, toolsCalled: readonly string[]): string {
  if (toolsCalled.some((t) => t.startsWith("knowledge."))) return reply;
  return CLAIMS.some((re) => re.test(reply)) ? NO_CITATION : reply;
}
