/**
 * `deno task actors …`: inspect the actor runtime — per-kind depth and lag, actors of a
 * kind, one actor in detail, a live tail, and dead letters (list, retry, discard).
 * Exit codes (`cockpit/exit.ts`): 0 done, 1 failed, 2 bad command line, 3 unknown id, 4 a
 * destructive command (`discard`) not confirmed.
 *
 * @module
 */
import type { ActorKind } from "../../actors/runtime/types.ts";
import { boot } from "../../kernel/boot.ts";
import { processEnv } from "../../kernel/config.ts";
import { withInstance } from "../../kernel/instance.ts";
import { ROLES } from "../../http/roles.ts";
import { type Confirm, terminalConfirm, unconfirmed } from "../confirm.ts";
import { EXIT, exitCodeOf } from "../exit.ts";
import { NOT_RUNNING, notRunningHere } from "../running.ts";
import { type Command, helpText, parse, synopsis, UsageError } from "./command.ts";
import { dead, discard, retry } from "./commands/dead.ts";
import { kinds } from "./commands/kinds.ts";
import { list } from "./commands/list.ts";
import { show } from "./commands/show.ts";
import { tail } from "./commands/tail.ts";
import { stdout } from "./output.ts";

const COMMANDS: Command[] = [kinds, list, show, tail, dead, retry, discard];

/** Options of {@link runCli}. */
export interface CliOptions {
  /** Kinds whose `state()` `show` may call (default: every role's kinds, as configured). */
  kinds?: ReadonlyMap<string, ActorKind>;
  /** Environment to read instead of the process's. */
  env?: Record<string, string | undefined>;
  /** Asks the operator to confirm a destructive command (default: none, so it is refused). */
  confirm?: Confirm;
}

/** The overview printed by `--help` and for a missing or unknown command. */
function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "Usage: deno task actors <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Every command takes --json and --help. Examples:",
    ...COMMANDS.map((c) => `  ${c.examples[0]}`),
  ].join("\n");
}

/** Runs one command line; resolves to the exit code. */
export async function runCli(argv: string[], options: CliOptions = {}): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--help" || name === "-h" || name === "help") {
    const command = COMMANDS.find((c) => c.name === rest[0]);
    console.log(command ? helpText(command) : overview());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  let parsed;
  try {
    if (!command) throw new UsageError(name ? `unknown command "${name}"` : "missing command");
    parsed = parse(command, rest);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    const usage = command ? `Usage: ${synopsis(command)} (see --help)` : overview();
    console.error(`actors: ${e.message}\n\n${usage}`);
    return 2;
  }
  if (parsed.help) {
    console.log(helpText(command));
    return 0;
  }
  if (command.destructive && !parsed.allowDestructive) {
    const refusal = unconfirmed(`actors ${command.name}`, command.name, options.confirm);
    if (refusal) {
      console.error(`actors: ${refusal}`);
      return EXIT.refused;
    }
  }
  const given = options.env ?? processEnv();
  if (notRunningHere(given, { database: true })) {
    console.error(`actors: ${NOT_RUNNING}`);
    return EXIT.failure;
  }
  const env = withInstance(given);
  const { config, db, shutdown } = await boot({ migrate: true, env });
  // `show` reads an actor's state through its kind, as the process hosting it would.
  const kinds = options.kinds ??
    new Map(Object.values(ROLES).flatMap((r) => r.kinds(config)).map((k) => [k.kind, k]));
  try {
    return await parsed.run({ sql: db.sql, out: stdout(parsed.json), kinds }) ?? 0;
  } catch (e) {
    // An unknown id or actor (NotFound), or the database's failure: a message, no stack.
    console.error(`actors: ${e instanceof Error ? e.message : String(e)}`);
    return exitCodeOf(e);
  } finally {
    await shutdown();
  }
}

if (import.meta.main) Deno.exit(await runCli(Deno.args, { confirm: terminalConfirm() }));
