/**
 * `deno task bss …`: runs one CLI command against the running services (`deno task start`),
 * configured and authenticated like them (tokens from `.bss/tokens.json` when BSS_API_TOKEN
 * is unset). On a terminal results print as cards, in colour unless `NO_COLOR` is set.
 *
 * @module
 */
import { configOrExit } from "../../kernel/boot.ts";
import { processEnv } from "../../kernel/config.ts";
import { runScenarioCommand } from "../scenario/command.ts";
import { runCli } from "./cli.ts";

const line = (stream: typeof Deno.stdout) => (text: string) =>
  stream.writeSync(new TextEncoder().encode(`${text}\n`));
const options = { config: () => configOrExit() };
if (Deno.args[0] === "scenario") {
  // Scenarios take a while: their report lines are written as each step ends.
  const io = { out: line(Deno.stdout), err: line(Deno.stderr) };
  Deno.exit(await runScenarioCommand(Deno.args.slice(1), io, options));
}
const terminal = Deno.stdout.isTerminal()
  ? { columns: Deno.consoleSize().columns, color: !processEnv().NO_COLOR }
  : undefined;
const result = await runCli(Deno.args, { ...options, terminal, progress: line(Deno.stderr) });
await Deno.stdout.write(new TextEncoder().encode(result.stdout));
await Deno.stderr.write(new TextEncoder().encode(result.stderr));
Deno.exit(result.code);
