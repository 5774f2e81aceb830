/**
 * What an `actors` subcommand is, and the argument handling they share: node:util parseArgs
 * (strict), `--json` and `--help` on every command, help text with examples, and
 * {@link UsageError} for anything the user typed wrong (exit 2, never a stack trace).
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { ActorKind } from "../../actors/runtime/types.ts";
import type { Pool } from "../../kernel/db/types.ts";
import type { Output } from "./output.ts";

/** What a running command gets. */
export interface Context {
  sql: Pool;
  out: Output;
  /** Kinds hosted in this process (their `state()` shows actor state). */
  kinds?: ReadonlyMap<string, ActorKind>;
}

/** One option of a command. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** Placeholder of the value in help, e.g. `N`. */
  value?: string;
  description: string;
}

/** Parsed command line, before validation. */
export interface Input {
  args: string[];
  values: Record<string, string | boolean | undefined>;
}

/** A validated command, ready to run against the database; resolves to the exit code. */
export type Run = (ctx: Context) => Promise<number | void>;

/** A subcommand of `deno task actors`. */
export interface Command {
  name: string;
  /** Positional arguments, all required, e.g. `["kind", "key"]`. */
  args: string[];
  /** One line for the command list. */
  summary: string;
  /** More help: what the columns mean. */
  details?: string;
  options: Record<string, OptionSpec>;
  examples: string[];
  /** Loses data for good: gated as `bss` gates its destructive verbs (`cockpit/confirm.ts`). */
  destructive?: boolean;
  /** Validates the input (throwing {@link UsageError}) before anything connects. */
  prepare(input: Input): Run;
}

/** A mistake on the command line. */
export class UsageError extends Error {
  override name = "UsageError";
}

const COMMON: Record<string, OptionSpec> = {
  json: { type: "boolean", description: "print JSON for scripts instead of text" },
  help: { type: "boolean", short: "h", description: "show this help" },
};

const ALLOW_DESTRUCTIVE: Record<string, OptionSpec> = {
  "allow-destructive": {
    type: "boolean",
    description: "run without typing the verb to confirm (needed without a terminal)",
  },
};

/** Every option `command` takes: its own, the gate's when destructive, and the common ones. */
function optionsOf(command: Command): Record<string, OptionSpec> {
  return { ...command.options, ...(command.destructive ? ALLOW_DESTRUCTIVE : {}), ...COMMON };
}

/** The parsed command line of `command`: `help` asked, or a run step and the output mode. */
export function parse(
  command: Command,
  argv: string[],
): { help: true } | { help: false; json: boolean; allowDestructive: boolean; run: Run } {
  const options = Object.fromEntries(
    Object.entries(optionsOf(command))
      .map(([name, { type, short }]) => [name, short ? { type, short } : { type }]),
  );
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    // node:util's messages go on to explain `--`; the first sentence is the point.
    throw new UsageError((e instanceof Error ? e.message : String(e)).split(". ")[0]);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  if (positionals.length !== command.args.length) {
    const missing = command.args.slice(positionals.length).map((a) => `<${a}>`).join(" ");
    throw new UsageError(
      missing ? `missing ${missing}` : `unexpected argument "${positionals[command.args.length]}"`,
    );
  }
  return {
    help: false,
    json: values.json === true,
    allowDestructive: values["allow-destructive"] === true,
    run: command.prepare({ args: positionals, values }),
  };
}

/** A string option, or undefined. */
export function stringOption(input: Input, name: string): string | undefined {
  const v = input.values[name];
  return typeof v === "string" ? v : undefined;
}

/** The integer `text` (an option value or argument), at least `min`; undefined if absent. */
export function integer(name: string, text: string | undefined, min = 1): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || !Number.isSafeInteger(n)) {
    throw new UsageError(`${name} must be an integer >= ${min}, got "${text}"`);
  }
  return n;
}

/** `deno task actors <name> <args> [options]`. */
export function synopsis(command: Command): string {
  const args = command.args.map((a) => ` <${a}>`).join("");
  return `deno task actors ${command.name}${args} [options]`;
}

/** The `--help` of one command. */
export function helpText(command: Command): string {
  const options = Object.entries(optionsOf(command)).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : "    "}--${name}${o.value ? ` ${o.value}` : ""}`;
    return [flag, o.description] as const;
  });
  const width = Math.max(...options.map(([f]) => f.length));
  return [
    `Usage: ${synopsis(command)}`,
    "",
    `  ${command.summary}`,
    ...(command.details ? ["", ...command.details.split("\n").map((l) => `  ${l}`)] : []),
    "",
    "Options:",
    ...options.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`),
    "",
    "Examples:",
    ...command.examples.map((e) => `  ${e}`),
  ].join("\n");
}
