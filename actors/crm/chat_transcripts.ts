/**
 * Chat transcripts behind escalated cases (docs/http.md §6.4): stored once under the SHA-256 of
 * their body, which the case keeps as `chat_transcript_hash`.
 *
 * @module
 */
import { clock } from "../../kernel/clock.ts";
import type { Pool, Sql } from "../../kernel/db/types.ts";
import { NotFound, PolicyViolation } from "../../kernel/errors.ts";
import { customerExists } from "./customer_queries.ts";
import { iso } from "./rows.ts";
import { sha256Hex } from "./sha256.ts";

/** A transcript as the API shows it. */
export interface ChatTranscriptView {
  hash: string;
  customer_id: string;
  body: string;
  recorded_at: string;
}

/** One transcript, or undefined. */
export async function getChatTranscript(
  sql: Sql,
  hash: string,
): Promise<ChatTranscriptView | undefined> {
  const [r] = await sql`select * from crm.chat_transcript where hash = ${hash.toLowerCase()}`;
  return r &&
    { hash: r.hash, customer_id: r.customer_id, body: r.body, recorded_at: iso(r.recorded_at)! };
}

/**
 * Stores a transcript (`chat_transcript.hash_mismatch` unless `hash` is the body's SHA-256).
 * Idempotent: storing it again returns the stored one.
 */
export async function recordChatTranscript(
  sql: Pool,
  t: { hash: string; customerId: string; body: string },
): Promise<ChatTranscriptView> {
  const expected = await sha256Hex(t.body);
  if (t.hash.toLowerCase() !== expected) {
    throw new PolicyViolation(
      "chat_transcript.hash_mismatch",
      "hash is not the SHA-256 of body",
      { provided: t.hash, expected },
    );
  }
  if (!await customerExists(sql, t.customerId)) throw new NotFound("Customer", t.customerId);
  await sql`insert into crm.chat_transcript (hash, customer_id, body, recorded_at)
    values (${expected}, ${t.customerId}, ${t.body}, ${clock.now()})
    on conflict (hash) do nothing`;
  return (await getChatTranscript(sql, expected))!;
}
