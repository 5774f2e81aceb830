/**
 * `deno task bss …`: runs one CLI command against the running services (`deno task start`)
 * of the data dir (its `instance.json`: ports and database), authenticated like them (tokens
 * from `.bss/tokens.json` when BSS_API_TOKEN is unset). On a terminal results print as cards, in colour unless `NO_COLOR` is set,
 * and a destructive verb without `--allow-destructive` asks the operator to type it.
 *
 * @module
 */
import { configOrExit } from "../../kernel/boot.ts";
import { processEnv } from "../../kernel/config.ts";
import { withInstance } from "../../kernel/instance.ts";
import { runAskCommand } from "../agent/ask_command.ts";
import { terminalConfirm } from "../confirm.ts";
import { runScenarioCommand } from "../scenario/command.ts";
import { notRunningHere } from "../running.ts";
import { runCli } from "./cli.ts";

const line = (stream: typeof Deno.stdout) => (text: string) =>
  stream.writeSync(new TextEncoder().encode(`${text}\n`));
// The live instance of the data dir says where the services and the database are.
const options = { config: () => configOrExit(withInstance(processEnv())) };
const io = { out: line(Deno.stdout), err: line(Deno.stderr) };
if (Deno.args[0] === "scenario") {
  // Scenarios take a while: their report lines are written as each step ends.
  Deno.exit(await runScenarioCommand(Deno.args.slice(1), io, options));
}
// No instance here and no setting naming where the services are (or, for `bss trace`, which
// reads the span store itself, the database): say so, call nothing.
const notRunning = notRunningHere(processEnv(), { database: Deno.args[0] === "trace" });
if (Deno.args[0] === "ask") {
  // An agent turn takes a while too: its tool calls are printed as they happen.
  Deno.exit(await runAskCommand(Deno.args.slice(1), io, { ...options, notRunning }));
}
const terminal = Deno.stdout.isTerminal()
  ? { columns: Deno.consoleSize().columns, color: !processEnv().NO_COLOR }
  : undefined;
const result = await runCli(Deno.args, {
  ...options,
  terminal,
  confirm: terminalConfirm(),
  progress: line(Deno.stderr),
  notRunning,
});
await Deno.stdout.write(new TextEncoder().encode(result.stdout));
await Deno.stderr.write(new TextEncoder().encode(result.stderr));
Deno.exit(result.code);
