/**
 * The plain rendering of a result (in a pipe, or `--format plain`): a list of records as a
 * table of its simple fields, a record as `key  value` lines, nested values spelled out by
 * path (`card_summary.last4`, `contact_medium[0].value`) rather than cut-off JSON.
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
    ? (v.length === 0 ? "—" : v.every(simple) ? v.join(", ") : `[${v.length} items]`)
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

/** Nested records and lists deeper than this print compactly. */
const MAX_DEPTH = 3;

/** The `[path, value]` leaves of a record: nested records and lists of records by path. */
function leaves(value: Record<string, unknown>, prefix = "", depth = 0): [string, unknown][] {
  return Object.entries(value).filter(([k]) => shown(k)).flatMap(([k, v]) => {
    const path = `${prefix}${label(k)}`;
    if (depth >= MAX_DEPTH || v === null || typeof v !== "object") return [[path, v]];
    if (Array.isArray(v)) {
      if (v.length === 0 || v.every(simple)) return [[path, v]];
      return v.flatMap((item, i) =>
        item !== null && typeof item === "object" && !Array.isArray(item)
          ? leaves(item as Record<string, unknown>, `${path}[${i}].`, depth + 1)
          : [[`${path}[${i}]`, item] as [string, unknown]]
      );
    }
    return leaves(v as Record<string, unknown>, `${path}.`, depth + 1);
  });
}

/** A record as aligned `key  value` lines. */
function record(value: Record<string, unknown>): string[] {
  const lines = leaves(value);
  const width = Math.max(0, ...lines.map(([k]) => k.length));
  return lines.map(([k, v]) => `${k.padEnd(width)}  ${cell(v, 100)}`);
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
