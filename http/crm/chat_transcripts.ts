/**
 * Chat transcripts over HTTP (docs/http.md §6.4, snake_case): store one under its SHA-256, read it.
 *
 * @module
 */
import { z } from "zod";
import * as transcripts from "../../actors/crm/chat_transcripts.ts";
import { NotFound } from "../../kernel/errors.ts";
import type { Deps } from "../env.ts";
import { defineRoute, type Endpoint, endpoint } from "../route.ts";
import { Text, Timestamp } from "./wire.ts";

/** A stored transcript. */
export const ChatTranscript = z.object({
  hash: z.string(),
  customer_id: z.string(),
  body: z.string(),
  recorded_at: Timestamp,
});

/** `POST /crm-api/v1/chat-transcript`: idempotent; the hash must be the body's SHA-256. */
export const recordChatTranscript = defineRoute({
  method: "POST",
  path: "/crm-api/v1/chat-transcript",
  summary: "Store a chat transcript under the SHA-256 of its body",
  body: z.object({
    hash: z.string().regex(/^[0-9a-fA-F]{64}$/),
    customer_id: Text,
    body: z.string().min(1).max(1_000_000),
  }),
  response: ChatTranscript,
  status: 201,
});

/** `GET /crm-api/v1/chat-transcript/{hash}`. */
export const getChatTranscript = defineRoute({
  method: "GET",
  path: "/crm-api/v1/chat-transcript/:hash",
  summary: "One chat transcript",
  params: z.object({ hash: z.string() }),
  response: ChatTranscript,
});

/** The chat transcript endpoints. */
export function chatTranscriptEndpoints({ sql }: Pick<Deps, "sql">): Endpoint[] {
  return [
    endpoint(recordChatTranscript, ({ body }) =>
      transcripts.recordChatTranscript(sql, {
        hash: body.hash,
        customerId: body.customer_id,
        body: body.body,
      })),
    endpoint(getChatTranscript, async ({ params }) => {
      const found = await transcripts.getChatTranscript(sql, params.hash);
      if (!found) throw new NotFound("ChatTranscript", params.hash);
      return found;
    }),
  ];
}
