/**
 * Tool names at the model boundary: providers reject `.` in function names, so dotted names
 * (`customer.get`) travel as `customer__get` and are mapped back on the way in. Everywhere
 * else — fixtures, transcripts, the store, events — the dotted name is used.
 *
 * @module
 */

/** The provider-safe name of a dotted tool name. */
export function wireName(name: string): string {
  return name.replaceAll(".", "__");
}

/** The dotted name of a provider-safe name (a dotted name passes through). */
export function dottedName(wire: string): string {
  return wire.replaceAll("__", ".");
}
