/**
 * The `bss` CLI: resolve the command, check its arguments against the tool's schema, gate
 * destructive verbs, run the tool as the operator on channel `cli`, print the result. The
 * error contract of docs/cockpit.md §1: a policy refusal prints `POLICY_VIOLATION <rule>  <detail>`
 * on stderr and exits 2, as do an unknown id, bad arguments and an ungated destructive verb.
 *
 * @module
 */
import type { z } from "zod";
import { localCaller, withCaller } from "../../kernel/context.ts";
import type { Config } from "../../kernel/config.ts";
import { runAskCommand } from "../agent/ask_command.ts";
import { runScenarioCommand } from "../scenario/command.ts";
import { runTraceCommand } from "../trace/command.ts";
import { type ToolError, toolError } from "../../tools/call.ts";
import { toolContext } from "../../tools/context.ts";
import { toolsMarkdown } from "../../tools/docs.ts";
import { TOOLS } from "../../tools/registry.ts";
import { type Command, commandsUnder, resolve } from "./commands.ts";
import { commandHelp, groupHelp, rootHelp, usage } from "./help.ts";
import { split, toolArgs, UsageError } from "./parse.ts";
import { renderPlain } from "./render.ts";

/** What the CLI runs with. */
export interface CliOptions {
  /** The configuration, or how to load it (only commands that call a service need it). */
  config: Config | (() => Config);
  /** Who acts (`X-BSS-Actor`); default: the configured `BSS_OPERATOR` (`cli-user`). */
  actor?: string;
}

/** The outcome of one command: its exit code and what it printed. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Exit codes: 0 done, 1 failed (service down, timeout…), 2 refused or misused. */
const OK = 0, FAILED = 1, REFUSED = 2;

/** Collects output lines. */
class Output {
  readonly out: string[] = [];
  readonly err: string[] = [];
  result(code: number): CliResult {
    const text = (lines: string[]) => lines.length ? `${lines.join("\n")}\n` : "";
    return { code, stdout: text(this.out), stderr: text(this.err) };
  }
}

/** Runs one command line (argv without the program name). */
export async function runCli(argv: readonly string[], options: CliOptions): Promise<CliResult> {
  const io = new Output();
  // `bss trace …` draws the swimlane; `bss trace <verb> --help|--json` are the trace.* tools.
  const toolForm = argv.length > 2 && (argv.includes("--help") || argv.includes("--json"));
  if (argv[0] === "trace" && !toolForm) {
    const push = (lines: string[]) => (text: string) => lines.push(text);
    const code = await runTraceCommand(argv.slice(1), {
      config: options.config,
      out: push(io.out),
      err: push(io.err),
    });
    return io.result(code);
  }
  if (argv[0] === "ask") {
    const code = await runAskCommand(argv.slice(1), {
      out: (l) => io.out.push(l),
      err: (l) => io.err.push(l),
    }, options);
    return io.result(code);
  }
  if (argv[0] === "scenario") {
    const code = await runScenarioCommand(argv.slice(1), {
      out: (l) => io.out.push(l),
      err: (l) => io.err.push(l),
    }, options);
    return io.result(code);
  }
  const { words, flags, named } = split(argv);
  if (words[0] === "tools") return toolsCommand(words.slice(1), io);
  const found = resolve(words);
  if (!found) {
    if (words.length && commandsUnder(words).length) {
      io[flags.help ? "out" : "err"].push(...groupHelp(words));
      return io.result(flags.help ? OK : REFUSED);
    }
    const known = words.length === 0;
    if (!known) io.err.push(`unknown command: ${words.join(" ")}`, "");
    io[known ? "out" : "err"].push(...rootHelp());
    return io.result(known ? OK : REFUSED);
  }
  const { command, used } = found;
  if (flags.help) {
    io.out.push(...commandHelp(command));
    return io.result(OK);
  }
  let raw: Record<string, unknown>;
  try {
    raw = toolArgs(command.tool, named, words.slice(used));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return misuse(io, command, [e.message]);
  }
  const parsed = command.tool.args.safeParse(raw);
  if (!parsed.success) return misuse(io, command, issueLines(parsed.error));
  if (command.tool.class === "destructive" && !flags.allowDestructive) {
    io.err.push(`${command.words.join(" ")} is gated behind --allow-destructive.`);
    return io.result(REFUSED);
  }
  const config = typeof options.config === "function" ? options.config() : options.config;
  const caller = localCaller(options.actor ?? config.BSS_OPERATOR, "cli");
  try {
    const result = await withCaller(
      caller,
      () => command.tool.invoke(raw, toolContext(config, "cli")),
    );
    io.out.push(...(flags.json ? [JSON.stringify(result, null, 2)] : renderPlain(result)));
    return io.result(OK);
  } catch (e) {
    return failure(io, e);
  }
}

/** `bss tools list | docs`. */
function toolsCommand(words: readonly string[], io: Output): CliResult {
  if (words[0] === "docs") io.out.push(toolsMarkdown().trimEnd());
  else if (words[0] === "list") {
    io.out.push(...TOOLS.map((t) => `${t.name.padEnd(44)} ${t.class}${t.hidden ? " hidden" : ""}`));
  } else {
    io.err.push("usage: bss tools list | bss tools docs");
    return io.result(REFUSED);
  }
  return io.result(OK);
}

/** Zod issues as `--name: message` lines. */
function issueLines(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? `--${i.path.join(".")}: ` : ""}${i.message}`);
}

/** Bad arguments: what is wrong, then the usage line. */
function misuse(io: Output, command: Command, problems: string[]): CliResult {
  io.err.push(
    ...problems.map((p) => `bss: ${p}`),
    `usage: ${usage(command)}`,
    `(bss ${command.words.join(" ")} --help for more)`,
  );
  return io.result(REFUSED);
}

/** A failed call on stderr, per the error contract; never a stack trace. */
function failure(io: Output, e: unknown): CliResult {
  const failed = toolError(e);
  switch (failed.error) {
    case "POLICY_VIOLATION":
      io.err.push(`POLICY_VIOLATION ${(failed as { rule: string }).rule}  ${failed.detail}`);
      return io.result(REFUSED);
    case "NOT_FOUND":
      io.err.push(`NOT_FOUND ${failed.detail}`);
      return io.result(REFUSED);
    case "CLIENT_ERROR": {
      const { status, code, issues } = failed as Extract<ToolError, { error: "CLIENT_ERROR" }>;
      io.err.push(`${code} ${failed.detail}`);
      if (issues) io.err.push(...issues.map((i) => `  ${i.path.join(".")}: ${i.message}`));
      return io.result(status < 500 ? REFUSED : FAILED);
    }
    default:
      io.err.push(`${failed.error === "Error" ? "ERROR" : failed.error} ${failed.detail}`);
      return io.result(FAILED);
  }
}
