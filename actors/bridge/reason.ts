/**
 * How an error is written where operators read it (`bus.outbox.last_error`,
 * `bus.parked.reason`, the `parked_reason` header): its text, at most 500 characters.
 *
 * @module
 */

const MAX = 500;

/** The error's `name: message`, cut to 500 characters. */
export function reasonOf(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, MAX);
}
