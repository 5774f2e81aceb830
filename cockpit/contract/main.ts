/**
 * `deno task contract rules|machines`: prints a generated contract page of `docs/`
 * (`RULES.md`, `STATE_MACHINES.md`) to stdout.
 *
 * @module
 */
import { rulesMarkdown, ruleTable } from "./rules.ts";
import { machinesMarkdown } from "./machines.ts";

/** The project folder, whose source the rule table reads. */
export const PROJECT_ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

/** The page `name` (`rules` or `machines`), or null for an unknown name. */
export async function contractPage(name: string): Promise<string | null> {
  if (name === "rules") return rulesMarkdown(await ruleTable(PROJECT_ROOT));
  if (name === "machines") return machinesMarkdown();
  return null;
}

if (import.meta.main) {
  const usage = "usage: deno task contract rules|machines  (docs/RULES.md, docs/STATE_MACHINES.md)";
  if (["--help", "-h"].includes(Deno.args[0])) {
    console.log(usage);
    Deno.exit(0);
  }
  const page = await contractPage(Deno.args[0] ?? "");
  if (page === null) {
    console.error(usage);
    Deno.exit(2);
  }
  await Deno.stdout.write(new TextEncoder().encode(page));
}
