/**
 * The scripted model (`BSS_LLM_FIXTURE_PATH`): a chat model that answers from a fixture file
 * instead of calling an endpoint, so tests and demos run the real agent loop with no LLM. The
 * fixture format is the reference's:
 *
 * ```json
 * {"responses": [{"name": "pool", "match": "how many numbers",
 *   "steps": [{"tool_calls": [{"name": "inventory.msisdn.count", "args": {"prefix": "9100"}}]},
 *             {"content": "Pool counted."}]}]}
 * ```
 *
 * The first call of a turn picks the first response whose `match` is a case-insensitive
 * substring of the latest user message; each call returns its next step; no match or no step
 * left answers `(done)`. A fresh model per turn; binding tools changes nothing.
 *
 * One addition to the reference's format, so a fixture can serve ids made at run time (a
 * scenario's customer, its line): in tool arguments, `{{SUB}}`, `{{CUST}}`, `{{ORD}}` … stand
 * for the first id with that prefix (`SUB-…`) in the user's message, else in the results of the
 * turn's tool calls so far (so "SUB-0001 is blocked" can serve a `{{CUST}}` read off the line).
 *
 * @module
 */
import { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import { z } from "zod";
import { wireName } from "./wire_names.ts";

const Step = z.object({
  tool_calls: z.array(z.object({
    name: z.string().min(1),
    args: z.record(z.string(), z.unknown()).default({}),
    id: z.string().optional(),
  })).optional(),
  content: z.string().default(""),
});

/** A fixture file's content. */
export const Fixture = z.object({
  responses: z.array(z.object({
    name: z.string().optional(),
    match: z.string(),
    steps: z.array(Step),
  })),
});
export type Fixture = z.output<typeof Fixture>;

/** Reads and validates a fixture file; a missing or invalid one throws naming the path. */
export async function readFixture(path: string): Promise<Fixture> {
  const parsed = Fixture.safeParse(JSON.parse(await Deno.readTextFile(path)));
  if (!parsed.success) {
    throw new Error(`invalid LLM fixture ${path}: ${parsed.error.issues[0].message}`);
  }
  return parsed.data;
}

/** The text of the latest user message. */
function latestUserText(messages: BaseMessage[]): string {
  const human = messages.findLast((m) => m.getType() === "human");
  if (!human) return "";
  const content = human.content;
  return typeof content === "string"
    ? content
    : content.map((part) => "text" in part ? String(part.text) : "").join(" ");
}

/** The results of the tool calls made since the latest user message, as one text. */
function turnResults(messages: BaseMessage[]): string {
  const start = messages.findLastIndex((m) => m.getType() === "human");
  return messages.slice(start + 1).filter((m) => m.getType() === "tool")
    .map((m) => typeof m.content === "string" ? m.content : JSON.stringify(m.content)).join("\n");
}

/** `value` with each `{{PREFIX}}` in its strings replaced by the first `PREFIX-…` id of `text`. */
function fillIds(value: unknown, text: string): unknown {
  if (typeof value === "string") {
    return value.replace(
      /\{\{([A-Z]+)\}\}/g,
      (whole, prefix: string) => new RegExp(`\\b${prefix}-[\\w-]+`).exec(text)?.[0] ?? whole,
    );
  }
  if (Array.isArray(value)) return value.map((v) => fillIds(v, text));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillIds(v, text)]));
  }
  return value;
}

/** A rough token count for usage figures (a scripted model has no tokenizer). */
const tokens = (text: string) => Math.ceil(text.length / 4);

/** The scripted chat model of one turn. */
export class FixtureChatModel extends BaseChatModel {
  #steps: z.output<typeof Step>[] | undefined;
  #next = 0;
  #calls = 0;
  #prompt = "";

  constructor(readonly fixture: Fixture) {
    super({});
  }

  _llmType(): string {
    return "bss-fixture";
  }

  override bindTools(): this {
    return this;
  }

  // deno-lint-ignore require-await
  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const call = ++this.#calls;
    if (!this.#steps) {
      this.#prompt = latestUserText(messages);
      const text = this.#prompt.toLowerCase();
      this.#steps = this.fixture.responses.find((r) => text.includes(r.match.toLowerCase()))
        ?.steps ?? [];
    }
    const step = this.#steps[this.#next++];
    const content = step ? step.content : "(done)";
    const message = new AIMessage({
      content,
      tool_calls: (step?.tool_calls ?? []).map((c, i) => ({
        name: wireName(c.name),
        args: fillIds(c.args, `${this.#prompt}\n${turnResults(messages)}`) as Record<
          string,
          unknown
        >,
        id: c.id ?? `mock_call_${call}_${i}`,
        type: "tool_call" as const,
      })),
      usage_metadata: {
        input_tokens: tokens(messages.map((m) => String(m.content)).join("")),
        output_tokens: tokens(content),
        total_tokens: 0,
      },
    });
    return { generations: [{ text: content, message }] };
  }
}
