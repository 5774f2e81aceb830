/**
 * The unframed list shape (docs/cockpit.md §3.10): a titled rule, a header, an underline, the rows
 * (capped, then `(+ k more)`), or a line saying the list is empty. Every line is exactly the
 * card width; the last column takes what the others leave.
 *
 * @module
 */
import { rule, sheet } from "./box.ts";
import type { RenderOptions } from "./options.ts";
import { columns } from "./text.ts";

/** A list to draw. */
export interface TableSpec {
  title: string;
  /** Column headers and widths; the flexible column's width is what the others leave. */
  header: [string, number][];
  /** Index of the column that takes the spare width (default: the last). */
  flex?: number;
  rows: string[][];
  /** Line shown instead of the table when there are no rows. */
  empty: string;
  /** Rows shown before `(+ k more)`. */
  cap: number;
  /** Lines after the table. */
  footer?: string[];
}

const INDENT = "  ";
const GAP = 2;

/** Draws `spec` at the options' width. */
export function table(spec: TableSpec, options: RenderOptions): string {
  const { width } = options;
  const flex = spec.flex ?? spec.header.length - 1;
  const fixed = spec.header.reduce((sum, [, w], i) => sum + (i === flex ? 0 : w) + GAP, -GAP);
  const widths = spec.header.map(([, w], i) =>
    i === flex ? Math.max(1, width - INDENT.length - fixed) : w
  );
  const line = (cells: string[]) =>
    INDENT + columns(cells.map((c, i) => [c, widths[i]] as [string, number]), GAP);
  const lines = [rule(spec.title, width), ""];
  if (!spec.rows.length) {
    lines.push(INDENT + spec.empty);
  } else {
    lines.push(line(spec.header.map(([h]) => h)), line(widths.map((w) => "─".repeat(w))));
    lines.push(...spec.rows.slice(0, spec.cap).map(line));
    const more = spec.rows.length - spec.cap;
    if (more > 0) lines.push(`${INDENT}(+ ${more} more)`);
  }
  if (spec.footer?.length) lines.push("", ...spec.footer.map((f) => INDENT + f));
  return sheet(lines, width);
}
