/**
 * The plain rendering of a result (in a pipe, or `--format plain`): a list of records as a
 * table of its simple fields, a record as `key  value` lines (nested values shown compactly).
 * Keys are shown in one casing, snake_case like the CLI's options, whichever casing the
 * service answered in; TMF bookkeeping (`@type`, `href`, `atType`) is left out. `--json`
 * prints the result as it is.
 *
 * @module
 */

const MAX_CELL = 40;
const MAX_COLUMNS = 8;

/** TMF bookkeeping (`@type`, `href`, `atType`) that says nothing to a reader. */
function shown(key: string): boolean {
  return !key.startsWith("@") && key !== "href" && !/^at[A-Z]/.test(key);
}

/** A key as shown: snake_case. */
function label(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Whether a value prints in one table cell. */
function simple(v: unknown): boolean {
  return v === null || ["string", "number", "boolean"].includes(typeof v);
}

/** One value on one line, cut to `max` characters. */
function cell(v: unknown, max = MAX_CELL): string {
  const text = v === null || v === undefined
    ? "—"
    : typeof v === "string"
    ? v
    : Array.isArray(v)
    ? (v.every(simple) ? v.join(", ") : `[${v.length} items]`)
    : typeof v === "object"
    ? JSON.stringify(v)
    : String(v);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A list of records as a table of the simple fields of its first record. */
function table(rows: Record<string, unknown>[]): string[] {
  const columns = Object.keys(rows[0]).filter((k) => shown(k) && simple(rows[0][k]))
    .slice(0, MAX_COLUMNS);
  const cells = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.max(label(c).length, ...cells.map((r) => r[i].length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i])).join("  ").trimEnd();
  return [line(columns.map(label)), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)];
}

/** A record as aligned `key: value` lines. */
function record(value: Record<string, unknown>): string[] {
  const keys = Object.keys(value).filter(shown);
  const width = Math.max(0, ...keys.map((k) => label(k).length));
  return keys.map((k) => `${label(k).padEnd(width)}  ${cell(value[k], 100)}`);
}

/** The readable lines of a tool result. */
export function renderPlain(result: unknown): string[] {
  if (Array.isArray(result)) {
    if (result.length === 0) return ["(none)"];
    if (result.every((r) => r !== null && typeof r === "object" && !Array.isArray(r))) {
      return table(result as Record<string, unknown>[]);
    }
    return result.map((r) => cell(r, 200));
  }
  if (result !== null && typeof result === "object") {
    return record(result as Record<string, unknown>);
  }
  return [cell(result, 10_000)];
}
