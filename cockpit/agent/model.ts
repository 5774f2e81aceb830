/**
 * The agent's chat model: the scripted fixture model when `BSS_LLM_FIXTURE_PATH` is set,
 * else any OpenAI-compatible endpoint at `BSS_LLM_BASE_URL` through `@langchain/openai`
 * (temperature 0, `BSS_LLM_MAX_TOKENS`, usage on streams), else none — the cockpit then
 * runs slash commands and CLI verbs only.
 *
 * @module
 */
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { ChatOpenAI } from "@langchain/openai";
import type { Config } from "../../kernel/config.ts";
import { FixtureChatModel, readFixture } from "./fixture_model.ts";

/** What a turn says when no model is configured. */
export const NO_MODEL =
  "Plain-language turns need a model: set BSS_LLM_BASE_URL (and BSS_LLM_MODEL, " +
  "BSS_LLM_API_KEY) to an OpenAI-compatible endpoint, or BSS_LLM_FIXTURE_PATH to a scripted " +
  'fixture. Without one, the cockpit\'s slash commands and list intents ("list customers", ' +
  '"list plans") and every `deno task bss …` verb still work.';

/** Whether a model is configured. */
export function hasModel(config: Config): boolean {
  return Boolean(config.BSS_LLM_FIXTURE_PATH || config.BSS_LLM_BASE_URL);
}

/** The model's name as the audit actor carries it: `llm-<model>` with `/` → `-`. */
export function llmActor(model: string): string {
  return `llm-${model.replaceAll("/", "-")}`;
}

/**
 * A fresh model for one turn (the fixture is read again, so edits apply), or undefined when
 * none is configured. `model` overrides `BSS_LLM_MODEL` (settings.toml `[llm] model`).
 */
export async function chatModel(
  config: Config,
  model = config.BSS_LLM_MODEL,
): Promise<BaseChatModel | undefined> {
  if (config.BSS_LLM_FIXTURE_PATH) {
    return new FixtureChatModel(await readFixture(config.BSS_LLM_FIXTURE_PATH));
  }
  if (!config.BSS_LLM_BASE_URL) return undefined;
  return new ChatOpenAI({
    model,
    temperature: 0,
    maxTokens: config.BSS_LLM_MAX_TOKENS,
    // Not `streaming: true`: that path counts tokens with tiktoken, which downloads its
    // encodings. The turn's text handler asks for streaming instead (turn.ts).
    streamUsage: true,
    // Local endpoints (llama.cpp, vLLM, Ollama) take any key; hosted ones check it.
    apiKey: config.BSS_LLM_API_KEY || "unused",
    configuration: {
      baseURL: config.BSS_LLM_BASE_URL,
      defaultHeaders: { "X-Title": "bss" },
    },
  });
}
