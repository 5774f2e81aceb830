/**
 * Plain-text building blocks: aligned tables, durations, timestamps, clipped cells.
 *
 * @module
 */
import type { Output, Style } from "./output.ts";

/** A table cell: text, optionally styled (styling never affects alignment). */
export type Cell = string | { text: string; style?: Style };

/** A table column. */
export interface Column {
  header: string;
  /** Numbers read best right-aligned. */
  align?: "left" | "right";
}

const text = (c: Cell) => typeof c === "string" ? c : c.text;
const style = (c: Cell) => typeof c === "string" ? undefined : c.style;

/** An aligned table with a bold header row, two spaces between columns. */
export function table(out: Output, columns: Column[], rows: Cell[][]): string {
  const widths = columns.map((col, i) =>
    Math.max(col.header.length, ...rows.map((r) => text(r[i]).length))
  );
  const line = (cells: Cell[], head: boolean) =>
    cells.map((c, i) => {
      const t = text(c);
      const padded = columns[i].align === "right" ? t.padStart(widths[i]) : i === cells.length - 1
        ? t // no trailing spaces
        : t.padEnd(widths[i]);
      return out.paint(padded, head ? "bold" : style(c));
    }).join("  ");
  return [line(columns.map((c) => c.header), true), ...rows.map((r) => line(r, false))].join(
    "\n",
  );
}

/** A count, dimmed when zero and in `style` otherwise. */
export function count(n: number, styleIfAny?: Style): Cell {
  return { text: String(n), style: n === 0 ? "dim" : styleIfAny };
}

/** `123ms`, `4.5s`, `3m07s`, `2h05m`, `3d04h`; `-` for none. */
export function duration(ms: number | null): string {
  if (ms === null) return "-";
  const s = Math.floor(ms / 1000);
  const two = (n: number) => String(n).padStart(2, "0");
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (s < 60) return `${(ms / 1000).toFixed(1)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${two(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86400)}d${two(Math.floor(s / 3600) % 24)}h`;
}

/** UTC to the second (`2026-01-31T12:00:00Z`); `-` for none. */
export function timestamp(d: Date | null): string {
  return d ? `${d.toISOString().slice(0, 19)}Z` : "-";
}

/** One line of at most `width` characters; `-` for none. */
export function clip(value: string | null, width = 60): string {
  if (value === null) return "-";
  const flat = value.replace(/\s+/g, " ").trim();
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`;
}
