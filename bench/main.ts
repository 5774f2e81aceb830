/**
 * `deno task bench <name> [options]`: runs one benchmark. Each bench is a module exporting
 * `main(args)`; add a line to {@link BENCHES} to add one.
 *
 * @module
 */

/** The benches by name, loaded on demand. */
export const BENCHES: Record<string, () => Promise<{ main(args: string[]): Promise<void> }>> = {
  mailbox: () => import("./mailbox.ts"),
  pipeline: () => import("./pipeline.ts"),
  api: () => import("./api.ts"),
  knowledge: () => import("./knowledge.ts"),
  agent: () => import("./agent.ts"),
  portal: () => import("./portal.ts"),
};

/** Prints usage and exits with status 2. */
function usage(problem: string): never {
  console.error(
    `${problem}\n\nusage: deno task bench <${Object.keys(BENCHES).join("|")}> [options]`,
  );
  Deno.exit(2);
}

if (import.meta.main) {
  const [name, ...args] = Deno.args;
  if (name === "--help" || name === "-h") {
    console.log(`usage: deno task bench <${Object.keys(BENCHES).join("|")}> [options]`);
    console.log("       deno task bench <name> --help: the options of one bench");
    Deno.exit(0);
  }
  if (!name) usage("which bench?");
  const load = BENCHES[name];
  if (!load) usage(`unknown bench "${name}"`);
  await (await load()).main(args);
}
