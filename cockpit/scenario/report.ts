/**
 * The scenario report (docs/cockpit.md §9.4): a `PASS|FAIL — <name>  (<ms> ms)` line, a table of the
 * steps (`#`, kind mark, step, ms, ✓/✗/–, detail), setup and teardown error panels, the full
 * failure of the failing step; and the summary table of a `run-all`.
 *
 * @module
 */
import type { ScenarioOutcome, StepOutcome } from "./run.ts";
import type { StepKind } from "./schema.ts";

const MARKS: Record<StepKind, string> = {
  action: "▶",
  assert: "=",
  ask: "💬",
  http: "?",
  file: "?",
};
const STATUS = { PASS: "✓", FAIL: "✗", SKIP: "–" } as const;
const DETAIL_WIDTH = 60;

/** `text` padded (or cut with …) to `width` columns. */
function fit(text: string, width: number): string {
  const chars = [...text];
  return chars.length > width
    ? `${chars.slice(0, width - 1).join("")}…`
    : text + " ".repeat(width - chars.length);
}

/** The first line of a step's detail, cut to the table. */
function firstLine(detail: string): string {
  return fit(detail.split("\n")[0], DETAIL_WIDTH).trimEnd();
}

/** One row of the step table. */
export function stepRow(index: number, step: StepOutcome): string {
  return [
    String(index + 1).padStart(3),
    MARKS[step.kind],
    fit(step.name, 32),
    `${step.ms}`.padStart(6),
    STATUS[step.status],
    firstLine(step.detail),
  ].join("  ").trimEnd();
}

/** A framed panel: a title rule and the text indented under it. */
function panel(title: string, text: string): string[] {
  return [`┌─ ${title}`, ...text.split("\n").map((l) => `│ ${l}`), "└─"];
}

/** Whether the scenario ran every step it could, skipped ones apart. */
function counts(outcome: ScenarioOutcome): { ok: number; skipped: number } {
  return {
    ok: outcome.steps.filter((s) => s.status === "PASS").length,
    skipped: outcome.steps.filter((s) => s.status === "SKIP").length,
  };
}

/** The report of one scenario, after its step rows were printed as they ran. */
export function scenarioFooter(outcome: ScenarioOutcome, total: number): string[] {
  const { ok, skipped } = counts(outcome);
  const lines = [
    `${outcome.passed ? "PASS" : "FAIL"} — ${outcome.name}  (${outcome.ms} ms)  ` +
    `${ok}/${total} steps ok${skipped ? `, ${skipped} skipped` : ""}`,
  ];
  if (outcome.error) {
    lines.push(...panel(outcome.error.startsWith("setup") ? "setup" : "teardown", outcome.error));
  }
  const failed = outcome.steps.find((s) => s.status === "FAIL");
  if (failed) lines.push(...panel(`step failed: ${failed.name}`, failed.detail));
  return lines;
}

/** An invalid file: `✗ <path>`, then each problem indented. */
export function invalidReport(loaded: { path: string; problems: string[] }): string[] {
  return [`✗ ${loaded.path}`, ...loaded.problems.map((p) => `    ${p}`)];
}

/** The head of one scenario's report. */
export function scenarioHeader(name: string, path: string): string[] {
  return [``, `── ${name}  (${path})`, `  #  k  ${fit("step", 32)}      ms     detail`];
}

/** The summary table of a run-all: scenario, PASS/FAIL, ok/total, duration. */
export function summary(rows: { outcome: ScenarioOutcome; total: number }[]): string[] {
  const passed = rows.filter((r) => r.outcome.passed).length;
  const skipping = rows.filter((r) => r.outcome.passed && counts(r.outcome).skipped).length;
  return [
    "",
    `${fit("scenario", 40)}  result  steps    ms`,
    ...rows.map(({ outcome, total }) => {
      const { ok, skipped } = counts(outcome);
      return `${fit(outcome.name, 40)}  ${outcome.passed ? "PASS" : "FAIL"}    ` +
        `${`${ok}/${total}`.padEnd(7)}  ${outcome.ms}${skipped ? `  (${skipped} skipped)` : ""}`;
    }),
    "",
    `${passed}/${rows.length} scenarios passed`,
    ...skipping ? [`${skipping} of them skipped steps that need a model (BSS_LLM_BASE_URL)`] : [],
  ];
}
