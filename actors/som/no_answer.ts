/**
 * Event-driven turns have no caller to answer: a PolicyViolation or NotFound escaping one
 * would be taken as an answer and the message dropped without a trace. Such a turn turns
 * them into failures instead, so the runtime retries and, at last, dead-letters the message
 * where an operator sees it (`deno task actors dead`).
 *
 * @module
 */
import { isAnswer } from "../../kernel/errors.ts";

/** `work`, with answer-errors rethrown as plain failures. */
export async function noAnswer<T>(what: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (!isAnswer(e)) throw e;
    throw new Error(`${what}: ${(e as Error).message}`, { cause: e });
  }
}
