/**
 * The trace swimlane (docs/cockpit.md §8): a header with the trace's numbers, then one row per span
 * in tree order (children under their parent, by start) — service, caller identity, a bar
 * placed and sized on the trace's timeline, the duration and the operation. Every line is
 * exactly the requested width; error rows end `ERR` (red when colour is on).
 *
 * @module
 */
import { type StoredSpan, traceSummary } from "../../kernel/telemetry/query.ts";
import { paint } from "../render/options.ts";
import { cells, fit, fitRight } from "../render/text.ts";

/** Options of {@link renderSwimlane}. */
export interface SwimlaneOptions {
  /** Total width in cells; clamped to at least {@link MIN_WIDTH}. */
  width: number;
  color: boolean;
  /** Draw the SQL spans too (hidden by default, counted in the footer). */
  showSql?: boolean;
}

/** The narrowest swimlane drawn. */
export const MIN_WIDTH = 72;

const IDENTITY = "bss.service.identity";
const IDENTITY_WIDTH = 14;
const MS_WIDTH = 8;
const MIN_OPERATION = 16;

interface Row {
  span: StoredSpan;
  depth: number;
}

const byStart = (a: StoredSpan, b: StoredSpan) =>
  a.offsetMs - b.offsetMs || a.spanId.localeCompare(b.spanId);

/** Spans depth-first from the roots, siblings by start; spans whose parent is missing last. */
export function treeOrder(spans: StoredSpan[]): Row[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string, StoredSpan[]>();
  for (const s of spans) {
    if (s.parentSpanId && ids.has(s.parentSpanId)) {
      children.set(s.parentSpanId, [...children.get(s.parentSpanId) ?? [], s]);
    }
  }
  const rows: Row[] = [];
  const walk = (span: StoredSpan, depth: number) => {
    rows.push({ span, depth });
    for (const child of (children.get(span.spanId) ?? []).sort(byStart)) walk(child, depth + 1);
  };
  const roots = spans.filter((s) => !s.parentSpanId).sort(byStart);
  const orphans = spans.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId)).sort(byStart);
  for (const span of [...roots, ...orphans]) walk(span, 0);
  return rows;
}

/** `┃━━━┃` placed at the span's offset, `barWidth` cells wide in all. */
function bar(span: StoredSpan, totalMs: number, barWidth: number): string {
  const total = totalMs > 0 ? totalMs : 1;
  const length = Math.max(1, Math.floor(Math.max(span.durationMs / total, 0.001) * barWidth));
  const len = Math.min(length, barWidth);
  const start = Math.min(Math.floor((span.offsetMs / total) * barWidth), barWidth - len);
  const body = len === 1 ? "┃" : `┃${"━".repeat(len - 2)}┃`;
  return " ".repeat(start) + body + " ".repeat(barWidth - start - len);
}

/** Whether a span is one SQL statement. */
export function isSql(span: StoredSpan): boolean {
  return "db.system" in span.attributes;
}

/**
 * What a row calls its span: the statement of a SQL span, else the span's name — with the
 * turn's SQL summary (`BSS_OTEL_SQL_SPANS=summary`) after it when it has one.
 */
function operation(span: StoredSpan): string {
  const statement = span.attributes["db.statement"];
  if (typeof statement === "string") return statement.replace(/\s+/g, " ").trim();
  const { "bss.sql.statements": count, "bss.sql.ms": ms } = span.attributes;
  return typeof count === "number"
    ? `${span.name} · ${count} SQL ${Math.round(Number(ms))}ms`
    : span.name;
}

/** Whether a span is a business step: an actor's turn. */
function isBusiness(span: StoredSpan): boolean {
  return "bss.actor.kind" in span.attributes;
}

/** Column widths of a swimlane: label, identity (0 when no span has one), bar, operation. */
interface Layout {
  label: number;
  identity: number;
  bar: number;
  operation: number;
  /** Cells of indentation a row at `depth` gets. */
  indent(depth: number): string;
}

function layout(rows: Row[], width: number): Layout {
  const maxDepth = Math.max(1, ...rows.map((r) => r.depth));
  const label = Math.max(16, Math.min(14 + 2 * maxDepth, Math.floor(width / 4)));
  // Deep traces indent one cell a level, and never so far that the service name is lost.
  const step = 2 * maxDepth + 10 <= label ? 2 : 1;
  const identity = rows.some((r) => typeof r.span.attributes[IDENTITY] === "string")
    ? IDENTITY_WIDTH
    : 0;
  const fixed = label + identity + 2 + MS_WIDTH + 2;
  const bar = Math.min(Math.max(12, width - fixed - 40), width - fixed - MIN_OPERATION);
  return {
    label,
    identity,
    bar,
    operation: width - fixed - bar,
    indent: (depth) => " ".repeat(Math.min(step * depth, label - 10)),
  };
}

/** `Trace <id>…  total <ms>ms  ·  <n> spans  ·  <s> services  ·  <e> errors`, fitted. */
function header(spans: StoredSpan[], width: number): string {
  const facts = traceSummary(spans);
  const id = facts.traceId.length > 16 ? `${facts.traceId.slice(0, 16)}…` : facts.traceId;
  const parts = [
    `Trace ${id}`,
    `total ${Math.round(facts.totalMs)}ms`,
    `${facts.spanCount} spans`,
    `${facts.serviceCount} services`,
    `${facts.errorSpanCount} errors`,
  ];
  // The spec's airy separators when they fit, tighter ones before anything is cut.
  const spacious = `${parts[0]}  ${parts.slice(1).join("  ·  ")}`;
  return fit(cells(spacious) <= width ? spacious : parts.join(" · "), width);
}

function row({ span, depth }: Row, cols: Layout, totalMs: number, color: boolean): string {
  const error = span.statusCode === "ERROR";
  const suffix = `${isBusiness(span) ? " *" : ""}${error ? " ERR" : ""}`;
  const identity = span.attributes[IDENTITY];
  const line = fit(cols.indent(depth) + span.service, cols.label - 1) + " " +
    (cols.identity
      ? fit(typeof identity === "string" ? identity : "—", cols.identity - 1) + " "
      : "") +
    bar(span, totalMs, cols.bar) + "  " +
    fitRight(`${Math.round(span.durationMs)}ms`, MS_WIDTH) + "  " +
    fit(operation(span), cols.operation - suffix.length) + suffix;
  return error ? paint(line, "red", color) : line;
}

/** The swimlane of `spans` (one trace). */
export function renderSwimlane(spans: StoredSpan[], options: SwimlaneOptions): string {
  const width = Math.max(MIN_WIDTH, Math.floor(options.width));
  if (!spans.length) return fit("(empty trace)", width);
  const all = treeOrder(spans);
  const rows = options.showSql ? all : all.filter((r) => !isSql(r.span));
  const cols = layout(rows, width);
  const totalMs = traceSummary(spans).totalMs;
  const lines = [
    header(spans, width),
    fit("", width),
    ...rows.map((r) => row(r, cols, totalMs, options.color)),
  ];
  const hidden = all.length - rows.length;
  if (hidden) {
    lines.push(fit(`⋯ ${hidden} SQL spans hidden — rerun with --show-sql to expand`, width));
  }
  lines.push(fit("", width), fit("* business step (an actor's turn)", width));
  return lines.join("\n");
}
