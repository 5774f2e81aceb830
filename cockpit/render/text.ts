/**
 * Terminal-cell text helpers: measure, cut (with an ellipsis) and pad strings so every line
 * of a card is exactly its width in cells, whatever the characters (wide CJK/emoji count two,
 * combining marks zero) and whether or not it carries ANSI colour.
 *
 * @module
 */

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** `text` without ANSI SGR sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/** Cells one code point takes in a terminal (a compact wcwidth). */
export function charCells(cp: number): 0 | 1 | 2 {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (
    (cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0x20e3
  ) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f680 && cp <= 0x1f6ff) ||
    (cp >= 0x1f900 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd)
  ) return 2;
  return 1;
}

/** Cells `text` takes in a terminal, ignoring ANSI colour. */
export function cells(text: string): number {
  let n = 0;
  for (const ch of stripAnsi(text)) n += charCells(ch.codePointAt(0)!);
  return n;
}

/** The longest prefix of plain `text` that fits `width` cells. */
function prefixWithin(text: string, width: number): string {
  let out = "";
  let used = 0;
  for (const ch of text) {
    const w = charCells(ch.codePointAt(0)!);
    if (used + w > width) break;
    out += ch;
    used += w;
  }
  return out;
}

/**
 * `text` as exactly `width` cells: padded with spaces, or cut with a trailing `…` when too
 * long. Colour is dropped from a cut string (a half-cut escape would bleed).
 */
export function fit(text: string, width: number): string {
  if (width <= 0) return "";
  const size = cells(text);
  if (size <= width) return text + " ".repeat(width - size);
  const cut = prefixWithin(stripAnsi(text), width - 1) + "…";
  return cut + " ".repeat(width - cells(cut));
}

/** `text` cut to at most `width` cells (with `…`), not padded. */
export function clip(text: string, width: number): string {
  return cells(text) <= width ? text : fit(text, width).trimEnd();
}

/** `text` right-aligned in `width` cells (cut with `…` when too long). */
export function fitRight(text: string, width: number): string {
  const size = cells(text);
  return size >= width ? fit(text, width) : " ".repeat(width - size) + text;
}

/**
 * `items` joined by `separator` into lines of at most `width` cells (an item longer than that
 * gets a line of its own); a line that breaks keeps the separator's mark (`,`).
 */
export function wrapped(items: string[], width: number, separator = " "): string[] {
  const lines: string[] = [];
  for (const item of items) {
    const last = lines.at(-1);
    if (last !== undefined && cells(last) + cells(separator) + cells(item) <= width) {
      lines[lines.length - 1] = `${last}${separator}${item}`;
    } else {
      if (last !== undefined) lines[lines.length - 1] = `${last}${separator.trimEnd()}`;
      lines.push(item);
    }
  }
  return lines;
}

/** Free `text` as lines of at most `width` cells, its own line breaks kept. */
export function wrapText(text: string, width: number): string[] {
  return text.split("\n").flatMap((line) => {
    const words = line.split(/\s+/).filter(Boolean);
    return words.length ? wrapped(words, width) : [""];
  });
}

/** Joins columns `[text, width]`, each fitted, with `gap` spaces between. */
export function columns(cols: [string, number][], gap = 1): string {
  return cols.map(([text, w]) => fit(text, w)).join(" ".repeat(gap));
}
