/**
 * The read-by-id guard of the catalog routes.
 *
 * @module
 */
import { NotFound } from "../../kernel/errors.ts";

/** `value`, or a NotFound (404) for `thing` `id` when there is none. */
export function found<T>(value: T | undefined, thing: string, id: string): T {
  if (value === undefined) throw new NotFound(thing, id);
  return value;
}
