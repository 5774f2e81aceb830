/**
 * The simple JSONPath of scenario captures (docs/cockpit.md §9.1): `$`, then `.key` and `[index]`
 * segments, e.g. `$.a.b[0].c` or `$[0].id`. No wildcards or filters, so the first match is
 * the only match.
 *
 * @module
 */

/** One step of a parsed path: an object key or a list index. */
export type Segment = string | number;

const SEGMENT = /\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]/y;

/** The segments of `path`; throws on anything outside the supported subset. */
export function parseJsonPath(path: string): Segment[] {
  if (!path.startsWith("$")) throw new Error(`JSONPath must start with $: ${path}`);
  const segments: Segment[] = [];
  SEGMENT.lastIndex = 1;
  while (SEGMENT.lastIndex < path.length) {
    const at = SEGMENT.lastIndex;
    const m = SEGMENT.exec(path);
    if (!m) throw new Error(`unsupported JSONPath at offset ${at}: ${path}`);
    segments.push(m[1] ?? Number(m[2]));
  }
  return segments;
}

/** The value at `path` in `doc`, or `undefined` when nothing matches. */
export function selectJsonPath(doc: unknown, path: string): unknown {
  let current = doc;
  for (const segment of parseJsonPath(path)) {
    if (typeof segment === "number") {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (current === null || typeof current !== "object" || Array.isArray(current)) {
        return undefined;
      }
      if (!Object.hasOwn(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}
