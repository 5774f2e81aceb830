/**
 * Card primitives (docs/cockpit.md §3.1): the single and double box, the section rule, the state dot
 * and the bundle progress bar. Every line a box returns is exactly its width in cells.
 *
 * @module
 */
import { paint, type RenderOptions, stateStyle } from "./options.ts";
import { cells, clip, fit } from "./text.ts";

const SINGLE = { tl: "┌", tr: "┐", bl: "└", br: "┘", h: "─", v: "│" };
const DOUBLE = { tl: "╔", tr: "╗", bl: "╚", br: "╝", h: "═", v: "║" };

/** Options of {@link box}. */
export interface BoxOptions extends RenderOptions {
  /** Draw with `╔═╗║╚╝` (e.g. a blocked subscription). */
  double?: boolean;
}

/**
 * Frames `lines` under `title`: `┌─ <title> ─…┐`, rows `│ <text> │` with text cut or padded
 * to width − 4, `└─…┘`. The title is cut so at least one rule cell remains.
 */
export function box(lines: string[], title: string, options: BoxOptions): string {
  const { width, color } = options;
  const b = options.double ? DOUBLE : SINGLE;
  const head = clip(title, width - 6);
  const top = `${b.tl}${b.h} ${paint(head, "bold", color)} ${
    b.h.repeat(width - 5 - cells(head))
  }${b.tr}`;
  const rows = lines.map((line) => `${b.v} ${fit(line, width - 4)} ${b.v}`);
  return [top, ...rows, `${b.bl}${b.h.repeat(width - 2)}${b.br}`].join("\n");
}

/** A section rule `── <label> ───…` exactly `width` cells. */
export function rule(label: string, width: number): string {
  const head = `── ${clip(label, width - 5)} `;
  return head + "─".repeat(width - cells(head));
}

/** `● STATE`, coloured by health when `color` is on. */
export function stateDot(state: string, color: boolean): string {
  return paint(`● ${state.toUpperCase()}`, stateStyle(state), color);
}

const PARTIALS = " ▏▎▍▌▋▊▉";

/**
 * `[████▌░░░]`: `used/total` as `width` cells between brackets, with one eighth-block partial;
 * an unlimited (null) or non-positive total draws `[────]`.
 */
export function progressBar(used: number, total: number | null, width = 26): string {
  if (total === null || total <= 0) return `[${"─".repeat(width)}]`;
  const ratio = Math.min(1, Math.max(0, used / total)) * width;
  const full = Math.floor(ratio);
  const eighth = Math.floor((ratio - full) * 8);
  const partial = full < width && eighth > 0 ? PARTIALS[eighth] : "";
  return `[${"█".repeat(full)}${partial}${"░".repeat(width - full - partial.length)}]`;
}

/** Lines padded or cut to exactly `width` cells: the frame of an unboxed card. */
export function sheet(lines: string[], width: number): string {
  return lines.map((line) => fit(line, width)).join("\n");
}
