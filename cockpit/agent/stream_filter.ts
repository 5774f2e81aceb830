/**
 * Streaming with hygiene: text deltas are shown as they arrive, minus reasoning blocks and
 * channel markup, holding back a tail that may be the start of a tag. When the cleaned text
 * stops being an extension of what was shown (a fake proposal removed mid-way, say), the
 * filter stops streaming; the caller then shows the final cleaned reply instead.
 *
 * @module
 */
import { stripReasoning } from "./hygiene.ts";

/** The visible part of a growing reply. */
export class StreamFilter {
  #raw = "";
  #shown = "";
  /** The cleaned text diverged from what was streamed: show the final reply in full. */
  diverged = false;

  /** Adds a delta; returns what may be shown now (possibly ""). */
  push(delta: string): string {
    if (this.diverged) return "";
    this.#raw += delta;
    // An unfinished `<…` at the end may be the start of a tag: hold it back.
    const settled = this.#raw.replace(/<[^>\n]{0,20}$/, "");
    const visible = stripReasoning(settled).replace(/^\s+/, "");
    if (!visible.startsWith(this.#shown)) {
      this.diverged = true;
      return "";
    }
    const fresh = visible.slice(this.#shown.length);
    this.#shown = visible;
    return fresh;
  }

  /** Everything shown so far. */
  get shown(): string {
    return this.#shown;
  }
}
