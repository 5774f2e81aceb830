/**
 * Embeddings for the hybrid ranking, from any OpenAI-compatible `POST /embeddings` endpoint
 * (OpenAI, OpenRouter, a local server such as Ollama or llama.cpp): `{model, input[]}` in,
 * `{data: [{index, embedding}]}` out. Configured by `BSS_EMBEDDINGS_BASE_URL` (+ model, key,
 * dimensions); without it the index is full-text only.
 *
 * @module
 */
import { z } from "zod";

/** Turns texts into vectors. */
export interface Embedder {
  /** The model: vectors made by another model are made again. */
  readonly model: string;
  /** One vector per text, in order; `signal` abandons the call. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]>;
}

/** The embeddings endpoint failed or answered something that is not embeddings. */
export class EmbeddingError extends Error {
  override name = "EmbeddingError";
}

/** Where and how to reach an OpenAI-compatible endpoint. */
export interface OpenAiEmbedderOptions {
  /** e.g. `https://api.openai.com/v1`; `/embeddings` is appended. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Sent as `dimensions` when set (models that can shorten their vectors). */
  dimensions?: number;
  /** Texts per request. */
  batchSize?: number;
  timeoutMs?: number;
}

const Reply = z.object({
  data: z.array(z.object({ index: z.number().int().min(0), embedding: z.array(z.number()) })),
});

/** An embedder over an OpenAI-compatible HTTP endpoint. */
export function openAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const url = `${options.baseUrl.replace(/\/+$/, "")}/embeddings`;
  const batchSize = options.batchSize ?? 64;
  const request = async (input: readonly string[], signal?: AbortSignal) => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    const body = {
      model: options.model,
      input,
      encoding_format: "float",
      ...options.dimensions && { dimensions: options.dimensions },
    };
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.any([
          AbortSignal.timeout(options.timeoutMs ?? 30_000),
          ...signal ? [signal] : [],
        ]),
      });
    } catch (e) {
      throw new EmbeddingError(`POST ${url}: ${(e as Error).message}`);
    }
    const text = await response.text();
    if (!response.ok) {
      throw new EmbeddingError(`POST ${url}: ${response.status} ${text.slice(0, 200)}`);
    }
    let parsed;
    try {
      parsed = Reply.parse(JSON.parse(text));
    } catch {
      throw new EmbeddingError(`POST ${url}: the reply is not an embeddings list`);
    }
    const vectors: number[][] = [];
    for (const { index, embedding } of parsed.data) vectors[index] = embedding;
    for (let i = 0; i < input.length; i++) {
      if (!vectors[i] || vectors.length !== input.length) {
        throw new EmbeddingError(
          `POST ${url}: ${input.length} texts, ${parsed.data.length} vectors`,
        );
      }
    }
    return vectors;
  };
  return {
    model: options.model,
    async embed(texts, signal) {
      const vectors: number[][] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        vectors.push(...await request(texts.slice(i, i + batchSize), signal));
      }
      return vectors;
    },
  };
}
