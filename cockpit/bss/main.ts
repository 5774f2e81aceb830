/**
 * `deno task bss …`: runs one CLI command against the running services (`deno task start`),
 * configured and authenticated like them (tokens from `.bss/tokens.json` when BSS_API_TOKEN
 * is unset). On a terminal results print as cards, in colour unless `NO_COLOR` is set.
 *
 * @module
 */
import { configOrExit } from "../../kernel/boot.ts";
import { processEnv } from "../../kernel/config.ts";
import { runAskCommand } from "../agent/ask_command.ts";
import { runScenarioCommand } from "../scenario/command.ts";
import { runCli } from "./cli.ts";

const line = (stream: typeof Deno.stdout) => (text: string) =>
  stream.writeSync(new TextEncoder().encode(`${text}\n`));
const options = { config: () => configOrExit() };
const io = { out: line(Deno.stdout), err: line(Deno.stderr) };
if (Deno.args[0] === "scenario") {
  // Scenarios take a while: their report lines are written as each step ends.
  Deno.exit(await runScenarioCommand(Deno.args.slice(1), io, options));
}
if (Deno.args[0] === "ask") {
  // An agent turn takes a while too: its tool calls are printed as they happen.
  Deno.exit(await runAskCommand(Deno.args.slice(1), io, options));
}
const terminal = Deno.stdout.isTerminal()
  ? { columns: Deno.consoleSize().columns, color: !processEnv().NO_COLOR }
  : undefined;
const result = await runCli(Deno.args, { ...options, terminal, progress: line(Deno.stderr) });
await Deno.stdout.write(new TextEncoder().encode(result.stdout));
await Deno.stderr.write(new TextEncoder().encode(result.stderr));
Deno.exit(result.code);
