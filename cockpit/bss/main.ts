/**
 * `deno task bss …`: runs one CLI command against the running services (`deno task start`),
 * configured and authenticated like them (tokens from `.bss/tokens.json` when BSS_API_TOKEN
 * is unset).
 *
 * @module
 */
import { configOrExit } from "../../kernel/boot.ts";
import { runScenarioCommand } from "../scenario/command.ts";
import { runCli } from "./cli.ts";

const options = { config: () => configOrExit() };
if (Deno.args[0] === "scenario") {
  // Scenarios take a while: their report lines are written as each step ends.
  const line = (stream: typeof Deno.stdout) => (text: string) =>
    stream.writeSync(new TextEncoder().encode(`${text}\n`));
  const io = { out: line(Deno.stdout), err: line(Deno.stderr) };
  Deno.exit(await runScenarioCommand(Deno.args.slice(1), io, options));
}
const result = await runCli(Deno.args, options);
await Deno.stdout.write(new TextEncoder().encode(result.stdout));
await Deno.stderr.write(new TextEncoder().encode(result.stderr));
Deno.exit(result.code);
