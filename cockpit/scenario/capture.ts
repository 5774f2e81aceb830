/**
 * Captures (docs/cockpit.md §9.1): `capture{var: JSONPath}` takes the first match from a step's
 * result; `capture_regex{var: {source, pattern, group}}` matches a regular expression against
 * the text at dot path `source` of the result. A capture that finds nothing fails the step.
 *
 * @module
 */
import { resolvePath } from "./expect.ts";
import { selectJsonPath } from "./json_path.ts";

/** A regex capture as the schema yields it; `source` defaults per step kind. */
export interface RegexCapture {
  source?: string;
  pattern: string;
  group: number;
}

/** Writes the JSONPath captures of `result` into `vars`; returns `k=v` notes. */
export function captureJsonPaths(
  result: unknown,
  capture: Record<string, string> | undefined,
  vars: Record<string, unknown>,
): string[] {
  const notes: string[] = [];
  for (const [name, path] of Object.entries(capture ?? {})) {
    const value = selectJsonPath(result, path);
    if (value === undefined) throw new Error(`capture ${name}: ${path} matched nothing`);
    vars[name] = value;
    notes.push(note(name, value));
  }
  return notes;
}

/**
 * Writes the regex captures of `result` into `vars`, reading `defaultSource` when a capture
 * names none; `last` takes the last match in the text (file steps) rather than the first.
 */
export function captureRegexes(
  result: unknown,
  captures: Record<string, RegexCapture> | undefined,
  vars: Record<string, unknown>,
  options: { defaultSource: string; last: boolean },
): string[] {
  const notes: string[] = [];
  for (
    const [name, { source = options.defaultSource, pattern, group }] of Object.entries(
      captures ?? {},
    )
  ) {
    const text = resolvePath(result, source);
    if (typeof text !== "string") throw new Error(`capture ${name}: ${source} is not text`);
    const matches = [...text.matchAll(new RegExp(pattern, "g"))];
    const match = options.last ? matches.at(-1) : matches[0];
    const value = match?.[group];
    if (value === undefined) throw new Error(`capture ${name}: /${pattern}/ matched nothing`);
    vars[name] = value;
    notes.push(note(name, value));
  }
  return notes;
}

/** `name=value`, cut to the report's 40 characters. */
function note(name: string, value: unknown): string {
  const text = `${name}=${typeof value === "string" ? value : JSON.stringify(value)}`;
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
