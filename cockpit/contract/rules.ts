/**
 * The rule table (`docs/RULES.md`): every `PolicyViolation` rule code the source can raise, found
 * by reading the source, with its service, HTTP status, file and the message it is raised with.
 * A code built by a helper (`promotionViolation("requires_code", …)`, `assertMove(rule, …)`) is
 * followed to the helper's call sites; a constant is followed to its declaration.
 *
 * @module
 */
import { PolicyViolation } from "../../kernel/errors.ts";
import { errorReply } from "../../http/errors.ts";

/** One rule code and where it is raised. */
export interface RuleRow {
  rule: string;
  service: string;
  status: number;
  file: string;
  meaning: string;
}

/** The folders whose code raises rules; the service is the domain folder's server. */
const ROOTS = ["actors", "http", "tools", "cockpit", "kernel"] as const;
const SERVED_BY: Record<string, string> = { inventory: "crm", knowledge: "crm" };

const CODE = /^[a-z][a-z_]*(\.[a-z_]+)+$/;
const CONSTRUCT = /new PolicyViolation\(\s*/g;

/** The service that answers with a rule raised in `file`. */
function serviceOf(file: string): string {
  const [root, domain] = file.split("/");
  if (root === "actors" || root === "http") return SERVED_BY[domain] ?? domain;
  return root === "kernel" ? "any" : "cockpit";
}

/** The argument starting at `at`, up to its closing top-level `,` or `)`. */
function argumentAt(src: string, at: number): { text: string; end: number } {
  let depth = 0;
  let quote = "";
  for (let i = at; i < src.length; i++) {
    const c = src[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) {
      if (depth === 0) return { text: src.slice(at, i).trim(), end: i };
      depth--;
    } else if (c === "," && depth === 0) return { text: src.slice(at, i).trim(), end: i + 1 };
  }
  return { text: src.slice(at).trim(), end: src.length };
}

/** The first two arguments of the call whose `(` ends just before `at`. */
function callArgs(src: string, at: number): [string, string] {
  const first = argumentAt(src, at);
  const second = argumentAt(src, first.end).text;
  return [first.text, second.trim()];
}

/** A string or template literal's text, `${…}` as `…`; null for anything else. */
function literal(arg: string): string | null {
  const m = /^(["'`])([\s\S]*)\1$/.exec(arg.trim());
  if (!m) return null;
  return m[2].replace(/\$\{[^}]*\}/g, "…").replace(/\s+/g, " ");
}

/** The message argument as a one-line meaning. */
function meaningOf(arg: string): string {
  const parts = arg.split(/\s*\+\s*/).map(literal);
  return parts.every((p) => p !== null) ? parts.join("") : "…";
}

/** The name of the function or arrow whose body holds `at`. */
function enclosingFunction(src: string, at: number): string | null {
  const before = src.slice(0, at);
  const decl = /(?:function\s+(\w+)\s*(?:<[^>]*>)?\s*\(|const\s+(\w+)\s*=\s*(?:<[^>]*>)?\()/g;
  let name: string | null = null;
  for (const m of before.matchAll(decl)) name = m[1] ?? m[2];
  return name;
}

/** Every call `name(<literal>, <message>` in `sources`, as [file, code, message]. */
function literalCalls(sources: Map<string, string>, name: string): [string, string, string][] {
  const out: [string, string, string][] = [];
  const call = new RegExp(`(?<![\\w.])${name}\\(\\s*`, "g");
  for (const [file, src] of sources) {
    for (const m of src.matchAll(call)) {
      const [first, message] = callArgs(src, m.index! + m[0].length);
      const code = literal(first);
      if (code !== null && first[0] !== "`") out.push([file, code, meaningOf(message)]);
    }
  }
  return out;
}

/** The rows raised at one `new PolicyViolation(` site. */
function rowsAt(sources: Map<string, string>, file: string, src: string, at: number): RuleRow[] {
  const [first, message] = callArgs(src, at);
  const row = (rule: string, where: string, meaning: string): RuleRow => ({
    rule,
    service: serviceOf(where),
    status: errorReply(new PolicyViolation(rule, meaning)).status,
    file: where,
    meaning,
  });
  const direct = literal(first);
  if (direct !== null && !first.includes("${")) return [row(direct, file, meaningOf(message))];
  const constant = /^\w+$/.test(first)
    ? new RegExp(`const ${first}\\s*=\\s*"([^"]+)"`).exec(src)
    : null;
  if (constant) return [row(constant[1], file, meaningOf(message))];
  const helper = enclosingFunction(src, at);
  if (!helper) return [];
  const prefix = first.startsWith("`") ? first.slice(1, first.indexOf("${")) : "";
  // The helper's own message when it is written out, else the one each call passes.
  const own = meaningOf(message);
  return literalCalls(sources, helper).map(([where, code, meaning]) =>
    row(prefix + code, where, own === "…" ? meaning : own)
  );
}

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...await sourceFiles(path));
    else if (path.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** Every rule of the source under `root`, one row per code (first raising file), sorted. */
export async function ruleTable(root: string): Promise<RuleRow[]> {
  const sources = new Map<string, string>();
  for (const dir of ROOTS) {
    for (const path of await sourceFiles(`${root}/${dir}`)) {
      sources.set(path.slice(root.length + 1), await Deno.readTextFile(path));
    }
  }
  const rows = new Map<string, RuleRow>();
  for (const [file, src] of sources) {
    for (const m of src.matchAll(CONSTRUCT)) {
      for (const r of rowsAt(sources, file, src, m.index! + m[0].length)) {
        if (CODE.test(r.rule) && !rows.has(r.rule)) rows.set(r.rule, r);
      }
    }
  }
  return [...rows.values()].sort((a, b) => a.rule.localeCompare(b.rule));
}

/** `docs/RULES.md`. */
export function rulesMarkdown(rows: RuleRow[]): string {
  const cell = (s: string) => s.replaceAll("|", "\\|");
  return [
    // Generated: deno fmt would realign the table and the file would drift from its source.
    "<!-- deno-fmt-ignore-file -->",
    "",
    "# Rule codes",
    "",
    "Generated from the source by `deno task contract rules > docs/RULES.md`; a test fails when it",
    "drifts. Every rule answers with `code: POLICY_VIOLATION`, its `rule`, a `message` (the one",
    "below, with the values filled in) and a `context`. Decisions: [decisions.md](decisions.md).",
    "",
    "| rule | service | status | file | meaning |",
    "| ---- | ------- | ------ | ---- | ------- |",
    ...rows.map((r) =>
      `| \`${r.rule}\` | ${r.service} | ${r.status} | \`${r.file}\` | ${cell(r.meaning)} |`
    ),
    "",
  ].join("\n");
}
