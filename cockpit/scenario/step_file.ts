/**
 * `file` steps (docs/cockpit.md §9.1, §9.3): wait for a file (polling when asked), read it in its
 * encoding, then capture. The result is `{path, text, json}` (`json` when the text parses):
 * `capture` takes JSONPaths from it, `capture_regex` matches `text` by default and takes the
 * **last** match, so a growing log yields its newest line.
 *
 * @module
 */
import { captureJsonPaths, captureRegexes } from "./capture.ts";
import { type StepDone, StepFailed } from "./env.ts";
import { poll } from "./poll.ts";
import type { Step } from "./schema.ts";
import { interpolate } from "./template.ts";

type FileStep = Extract<Step, { file: string }>;

/** What a file step captures from. */
interface FileResult {
  path: string;
  text: string;
  json: unknown;
}

async function read(path: string, encoding: string): Promise<FileResult> {
  const text = new TextDecoder(encoding).decode(await Deno.readFile(path));
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch { /* not JSON: only text and regexes apply */ }
  return { path, text, json };
}

/** Runs a file step. */
export async function runFile(step: FileStep, vars: Record<string, unknown>): Promise<StepDone> {
  const path = String(interpolate(step.file, vars));
  const { value, failures } = await poll(step.poll, async () => {
    try {
      return { value: await read(path, step.encoding), failures: [] };
    } catch (e) {
      const missing = e instanceof Deno.errors.NotFound;
      return { value: undefined, failures: [missing ? `${path}: no such file` : String(e)] };
    }
  });
  if (failures.length) throw new StepFailed(failures.join("; "));
  const notes = [
    ...captureJsonPaths(value, step.capture, vars),
    ...captureRegexes(value, step.capture_regex, vars, { defaultSource: "text", last: true }),
  ];
  return { status: "PASS", detail: notes.join(" ") || `${value!.text.length} chars` };
}
