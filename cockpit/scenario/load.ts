/**
 * Reading scenario files: YAML parsed (syntax errors with their line), then validated
 * against the schema and every tool it calls looked up in the registry (a verb not built here
 * is named before anything runs); and the files of a folder in run order (`*.yaml`
 * alphabetically, then `*.yml`).
 *
 * @module
 */
import { parse } from "yaml";
import { toolNamed } from "../../tools/registry.ts";
import { PORTAL_VERB_NAMES } from "./portal_verbs.ts";
import { type Scenario, validateScenario } from "./schema.ts";

/** A scenario file read: the scenario, or what is wrong with it. */
export type Loaded =
  | { path: string; ok: true; scenario: Scenario }
  | { path: string; ok: false; problems: string[] };

/** Reads and validates the scenario at `path`. */
export async function loadScenario(path: string): Promise<Loaded> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    return { path, ok: false, problems: [`cannot read: ${(e as Error).message}`] };
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    return { path, ok: false, problems: [`YAML: ${(e as Error).message.split("\n")[0]}`] };
  }
  const validated = validateScenario(doc);
  if (!validated.ok) return { path, ...validated };
  const unknown = unknownTools(validated.scenario);
  return unknown.length ? { path, ok: false, problems: unknown } : { path, ...validated };
}

/** A registry tool, or for an action also a verb the runner adds (the portal's). */
const known = (name: string, action: boolean) =>
  toolNamed(name) !== undefined ||
  action && (PORTAL_VERB_NAMES as readonly string[]).includes(name);

/** Each tool the scenario calls that the registry does not have, as `path: message`. */
function unknownTools(scenario: Scenario): string[] {
  return scenario.steps.flatMap((step, i) => {
    const calls: Array<[string, string]> = "action" in step
      ? [["action", step.action]]
      : "assert" in step
      ? [["assert.tool", step.assert.tool]]
      : "ask" in step
      ? Object.entries(step.expect_final_state).map(([label, probe]) => [
        `expect_final_state.${label}.tool`,
        probe.tool,
      ])
      : [];
    return calls.filter(([at, name]) => !known(name, at === "action")).map(([at, name]) =>
      `steps.${i}.${at}: no tool or scenario verb "${name}" is built here (bss tools list)`
    );
  });
}

/** The scenario files of `dir`, in run order; throws when `dir` is not a folder. */
export async function scenarioFiles(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && /\.ya?ml$/.test(entry.name)) names.push(entry.name);
  }
  const byExt = (ext: string) => names.filter((n) => n.endsWith(ext)).sort();
  return [...byExt(".yaml"), ...byExt(".yml")].map((n) => `${dir.replace(/\/+$/, "")}/${n}`);
}
