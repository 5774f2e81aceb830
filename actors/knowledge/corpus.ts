/**
 * What the knowledge index holds: an allowlist of markdown files under the project folder,
 * each of a kind that weighs its sections in the ranking. A runbook (what to do) outranks the
 * handbook (how the system works), which outranks the reference docs (README, generated tool
 * list), so a section written about a question beats a passing mention elsewhere.
 *
 * @module
 */
import { join } from "node:path";

/** The kinds of document, most authoritative first. */
export const KINDS = ["runbook", "handbook", "reference"] as const;

/** A kind of document. */
export type Kind = typeof KINDS[number];

/** Each kind's multiplier on a section's text rank. */
export const KIND_WEIGHTS: Readonly<Record<Kind, number>> = {
  runbook: 1.25,
  handbook: 1.1,
  reference: 0.85,
};

/** One file of the corpus, as found on disk. */
export interface CorpusFile {
  /** Relative to the root, with `/`: `docs/handbook/runbooks/mnp-port-flows.md`. */
  path: string;
  kind: Kind;
  size: number;
  mtimeMs: number;
}

// The folders walked, and the kind of what they hold; a file takes the first that matches.
const FOLDERS: ReadonlyArray<{ dir: string; kind: Kind; deep: boolean }> = [
  { dir: "docs/handbook/runbooks", kind: "runbook", deep: true },
  { dir: "docs/handbook", kind: "handbook", deep: true },
  { dir: "docs", kind: "reference", deep: false },
];
const ROOT_FILES = ["README.md"];
// Generated tables: the tool list (the agent has the tools themselves) and the rule codes (a
// violation names its rule). One table as a single section would crowd out the pages written
// for people.
const LEFT_OUT = new Set(["docs/TOOLS.md", "docs/RULES.md"]);

/** The kind of a corpus path, or null when the allowlist leaves it out. */
export function kindOf(path: string): Kind | null {
  if (!path.endsWith(".md") || LEFT_OUT.has(path)) return null;
  if (ROOT_FILES.includes(path)) return "reference";
  for (const { dir, kind, deep } of FOLDERS) {
    if (!path.startsWith(`${dir}/`)) continue;
    const rest = path.slice(dir.length + 1);
    return deep || !rest.includes("/") ? kind : null;
  }
  return null;
}

/** Every markdown file of `dir` and below, as paths relative to `root`. */
async function markdownUnder(root: string, dir: string): Promise<string[]> {
  const found: string[] = [];
  try {
    for await (const entry of Deno.readDir(join(root, dir))) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) found.push(...await markdownUnder(root, path));
      else if (entry.isFile && entry.name.endsWith(".md")) found.push(path);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return found;
}

/**
 * The corpus under `root`, sorted by path, with each file's size and modification time (a
 * stat per file, no read: what makes the start-up freshness check cheap).
 */
export async function listCorpus(root: string): Promise<CorpusFile[]> {
  const candidates = new Set([...ROOT_FILES, ...await markdownUnder(root, "docs")]);
  const files: CorpusFile[] = [];
  for (const path of [...candidates].sort()) {
    const kind = kindOf(path);
    if (!kind) continue;
    try {
      const info = await Deno.stat(join(root, path));
      if (!info.isFile) continue;
      files.push({ path, kind, size: info.size, mtimeMs: info.mtime?.getTime() ?? 0 });
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  return files;
}
