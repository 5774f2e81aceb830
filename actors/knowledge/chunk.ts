/**
 * Markdown → sections. A file is cut at every heading of level 1 to 3 (outside code fences);
 * a section is its heading line and the text up to the next such heading, deeper headings
 * included. Its anchor is the heading's GitHub slug, unique in the file (every heading, deep
 * ones too, takes its slug, as on GitHub); its title is the path of open headings, `A › B`.
 * Text before the first heading is a section with an empty anchor titled by the file's path.
 * A section with nothing but its heading is dropped: the sections below carry its title.
 * A page's status line (a `> Status: …` quote right under its title) belongs to the whole
 * page, not to its first section: it is kept apart and shown with every section read.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { headingText, Slugger } from "./slug.ts";

/** Bump when the cut or the text forms change: every file is then re-chunked once. */
export const CHUNKER_VERSION = 1;

/** One section of a file, ready to index. */
export interface Chunk {
  anchor: string;
  /** Position in the file, from 0. */
  ord: number;
  /** The section's own heading (the file's path for a preamble). */
  heading: string;
  /** The file's title: its first level-1 heading ("" before it, or when it has none). */
  page: string;
  /** The open headings, outermost first, joined by ` › `. */
  title: string;
  /** The section's markdown, heading line included. */
  body: string;
  /** The section's text below its heading, plain, on one line (what snippets are cut from). */
  plain: string;
  /** Identifiers of the section split into words (`order.create.requires_cof` → 4 words). */
  terms: string;
  /** SHA-256 of title and body: an unchanged hash keeps the section's embedding. */
  contentHash: string;
}

const HEADING = /^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^[ \t]{0,3}(`{3,}|~{3,})/;
const SPLIT_LEVEL = 3;

/** SHA-256 hex of `text`. */
export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The markdown without a leading `---` front-matter block, with `\n` line ends. */
function withoutFrontMatter(markdown: string): string {
  const text = markdown.replace(/\r\n?/g, "\n");
  const m = /^---\n[\s\S]*?\n---[ \t]*(?:\n|$)/.exec(text);
  return m ? text.slice(m[0].length) : text;
}

// The title line, blank lines, then a quote whose first line starts `Status:`.
const STATUS = /^(#[ \t][^\n]*\n(?:[ \t]*\n)*)(>[ \t]*Status:[^\n]*(?:\n>[^\n]*)*)\n?/;

/** A page's status quote (null when it has none) and the page without it. */
export function pageStatus(markdown: string): { status: string | null; rest: string } {
  const text = withoutFrontMatter(markdown);
  const m = STATUS.exec(text);
  return m
    ? { status: m[2].trim(), rest: m[1] + text.slice(m[0].length) }
    : { status: null, rest: text };
}

/** One markdown line (outside code) without its markup. */
function plainLine(line: string): string {
  return line
    .replace(/^\s{0,3}#{1,6}\s+/, "")
    .replace(/^\s*>\s?/, "")
    .replace(/^\s*(?:[-*+]|\d+\.)\s+/, "")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]+>/g, " ")
    .replace(/\*\*|__|`/g, "")
    .replace(/(^|\s)[*_]([^*_\s][^*_]*?)[*_](?=\s|[.,;:!?)]|$)/g, "$1$2")
    .replaceAll("|", " ");
}

/** Markdown as one line of plain text: no markup, link targets, table rules or fences. */
export function plainText(markdown: string): string {
  const out: string[] = [];
  let inCode = false;
  for (const line of markdown.split("\n")) {
    if (FENCE.test(line)) inCode = !inCode;
    else if (inCode) out.push(line);
    else if (!/^\s*\|?[\s:|-]+\|[\s:|-]*$/.test(line)) out.push(plainLine(line));
  }
  return out.join(" ").replace(/\s+/g, " ").trim();
}

// An identifier: words joined by `.`, `_`, `-` or `/` (rule codes, env variables, paths).
const IDENTIFIER = /[\p{L}\p{N}]+(?:[._/-][\p{L}\p{N}]+)+/gu;

/** `text` with each identifier's separators turned into spaces (so its parts are words). */
export function splitIdentifiers(text: string): string {
  return text.replace(IDENTIFIER, (id) => id.replace(/[._/-]/g, " "));
}

/** The split identifiers of `text`, space-separated (the extra words a section is found by). */
function identifierTerms(text: string): string {
  return [...text.matchAll(IDENTIFIER)].map((m) => splitIdentifiers(m[0])).join(" ");
}

interface Open {
  level: number;
  text: string;
}

/** The sections of one markdown file at `path`. */
export function chunkMarkdown(path: string, markdown: string): Chunk[] {
  const lines = pageStatus(markdown).rest.split("\n");
  const slugger = new Slugger();
  const chunks: Chunk[] = [];
  const open: Open[] = [];
  let page = "";
  let current = {
    anchor: "",
    heading: path,
    page,
    title: path,
    lines: [] as string[],
    headed: false,
  };
  let fence: string | null = null;

  const flush = () => {
    const body = current.lines.join("\n").trim();
    const content = current.headed ? current.lines.slice(1).join("\n").trim() : body;
    if (content) {
      chunks.push({
        anchor: current.anchor,
        ord: chunks.length,
        heading: current.heading,
        page: current.page,
        title: current.title,
        body,
        plain: plainText(content),
        terms: identifierTerms(body),
        contentHash: sha256(`${current.title}\n${body}`),
      });
    }
  };

  for (const line of lines) {
    const f = FENCE.exec(line);
    if (f) {
      const marker = f[1];
      if (fence === null) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = null;
    }
    const h = fence === null && !f ? HEADING.exec(line) : null;
    if (!h) {
      current.lines.push(line);
      continue;
    }
    const level = h[1].length;
    const text = headingText(h[2]);
    const anchor = slugger.anchor(text);
    if (level > SPLIT_LEVEL) {
      current.lines.push(line);
      continue;
    }
    flush();
    while (open.length && open[open.length - 1].level >= level) open.pop();
    open.push({ level, text });
    if (level === 1 && !page) page = text;
    current = {
      anchor,
      heading: text,
      page: level === 1 ? "" : page,
      title: open.map((o) => o.text).join(" › "),
      lines: [line],
      headed: true,
    };
  }
  flush();
  return chunks;
}
