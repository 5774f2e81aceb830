/**
 * Heading anchors as GitHub renders them, so a citation `[label](path#anchor)` opens the same
 * section on GitHub as in the index: the heading's text lower-cased, punctuation and symbols
 * dropped (letters, digits, `_`, `-` and spaces stay), each space a `-`; a repeated slug in the
 * same file gets `-1`, `-2`… as GitHub's slugger does.
 *
 * @module
 */

// Everything but letters, marks, digits, connector punctuation (`_`), space and hyphen.
const DROPPED = /[^\p{L}\p{M}\p{N}\p{Pc} -]/gu;

/** The text a markdown heading renders as: links and images by their text, no code ticks. */
export function headingText(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]+>/g, "")
    .replaceAll("`", "")
    .trim();
}

/** The GitHub slug of a heading's rendered text (no de-duplication). */
export function slug(text: string): string {
  return text.toLowerCase().replace(DROPPED, "").replaceAll(" ", "-");
}

/** Slugs of one file's headings, in order: a repeated slug is numbered like GitHub does. */
export class Slugger {
  readonly #seen = new Map<string, number>();

  /** The anchor of the next heading with rendered text `text`. */
  anchor(text: string): string {
    const base = slug(text);
    let result = base;
    while (this.#seen.has(result)) {
      const n = this.#seen.get(base)! + 1;
      this.#seen.set(base, n);
      result = `${base}-${n}`;
    }
    this.#seen.set(result, 0);
    return result;
  }
}
