/**
 * The `bss` CLI: resolve the command, check its arguments against the tool's schema, gate
 * destructive verbs (`--allow-destructive`, or typed confirmation on a terminal), run the tool
 * as the operator on channel `cli`, print the result — a card
 * on a terminal, plain lines in a pipe, JSON with `--json`. Errors go to stderr in one line
 * (`POLICY_VIOLATION <rule>  <detail>`, `NOT_FOUND …`) with the command that fixes them where
 * one exists, and the exit code says which kind of failure it was (`cockpit/exit.ts`).
 *
 * @module
 */
import type { z } from "zod";
import { localCaller, withCaller } from "../../kernel/context.ts";
import type { Config } from "../../kernel/config.ts";
import { PolicyViolation } from "../../kernel/errors.ts";
import { HttpError } from "../../http/errors.ts";
import { runAskCommand } from "../agent/ask_command.ts";
import { type Confirm, unconfirmed } from "../confirm.ts";
import { EXIT } from "../exit.ts";
import { NOT_RUNNING } from "../running.ts";
import { runScenarioCommand } from "../scenario/command.ts";
import { runTraceCommand } from "../trace/command.ts";
import { type ToolError, toolError } from "../../tools/call.ts";
import { toolContext } from "../../tools/context.ts";
import { toolsMarkdown } from "../../tools/docs.ts";
import { waitForOrder } from "../../tools/order.ts";
import { TOOLS } from "../../tools/registry.ts";
import { invokeOnce } from "../../tools/repeatable.ts";
import type { ToolContext } from "../../tools/tool.ts";
import { cardOf, orderEndReason } from "./cards.ts";
import { type Command, COMMANDS, commandsUnder, resolve } from "./commands.ts";
import { argumentLabel, commandHelp, groupHelp, rootHelp, usageLines } from "./help.ts";
import { fixFor } from "./hints.ts";
import { type OutputFormat, split, type SplitArgs, toolArgs, UsageError } from "./parse.ts";
import { renderPlain } from "./render.ts";
import { nearestCommands } from "./suggest.ts";
import { tokenLines } from "./tokens.ts";

/** What the CLI runs with. */
export interface CliOptions {
  /** The configuration, or how to load it (only commands that call a service need it). */
  config: Config | (() => Config);
  /** Who acts (`X-BSS-Actor`); default: the configured `BSS_OPERATOR` (`cli-user`). */
  actor?: string;
  /** Set when stdout is a terminal: results print as cards by default. */
  terminal?: { columns: number; color: boolean };
  /**
   * Set when the operator sits at a terminal: asks `question` and returns the line typed (null
   * at end of input). A destructive verb without `--allow-destructive` runs only when the
   * operator types its verb; without a terminal it is refused.
   */
  confirm?: Confirm;
  /** Where progress lines go while a command waits (stderr, as they happen). */
  progress?: (line: string) => void;
  /**
   * Set when no instance runs on the data dir and nothing else says where the services are:
   * commands that call a service then say so instead of calling whatever answers on the
   * default ports.
   */
  notRunning?: boolean;
}

/** The outcome of one command: its exit code and what it printed. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const { ok: OK, failure: FAILED, usage: USAGE, notFound: NOT_FOUND, refused: REFUSED } = EXIT;

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
  // `bss trace …` draws the swimlane; `bss trace <verb> --help|--json` are the trace.* tools,
  // and so is `bss trace services` (a table, not a swimlane).
  const toolForm = argv[1] === "services" ||
    argv.length > 2 && (argv.includes("--help") || argv.includes("--json"));
  if (argv[0] === "trace" && !toolForm) {
    const push = (lines: string[]) => (text: string) => lines.push(text);
    const code = await runTraceCommand(argv.slice(1), {
      config: options.config,
      out: push(io.out),
      err: push(io.err),
      notRunning: options.notRunning,
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
  let split_: SplitArgs;
  try {
    split_ = split(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err.push(`bss: ${e.message}`);
    return io.result(USAGE);
  }
  const { words, flags, named } = split_;
  if (words[0] === "tools") return toolsCommand(words.slice(1), io);
  if (words[0] === "admin" && words[1] === "tokens") {
    io.out.push(
      ...tokenLines(typeof options.config === "function" ? options.config() : options.config),
    );
    return io.result(OK);
  }
  if (!words.length && named.length) {
    io.err.push(`bss: unknown option --${named[0].name} (options follow a command)`);
    io.err.push("usage: bss <group> <verb> [ARGS…] [--name value …]  (bss --help for more)");
    return io.result(USAGE);
  }
  const found = resolve(words);
  if (!found) return unknownCommand(io, words, flags.help);
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
  if (!parsed.success) return misuse(io, command, issueLines(parsed.error, raw, command));
  if (command.tool.class === "destructive" && !flags.allowDestructive) {
    const refusal = unconfirmed(command.words.join(" "), command.words.at(-1)!, options.confirm);
    if (refusal) {
      io.err.push(refusal);
      return io.result(REFUSED);
    }
  }
  if (options.notRunning) {
    io.err.push(NOT_RUNNING);
    return io.result(FAILED);
  }
  const config = typeof options.config === "function" ? options.config() : options.config;
  const caller = localCaller(options.actor ?? config.BSS_OPERATOR, "cli");
  const format: OutputFormat = flags.json
    ? "json"
    : flags.format ?? (options.terminal ? "card" : "plain");
  const ctx = toolContext(config, "cli");
  const progress = options.progress ?? ((line: string) => io.err.push(line));
  try {
    return await withCaller(caller, async () => {
      if (command.tool.name === "order.wait_until") {
        const args = parsed.data as unknown as WaitArgs;
        return await waitUntil(io, args, ctx, format, options, progress);
      }
      // A keyed write is tried again, with its key, while the services restart.
      const result = await invokeOnce(command.tool, raw, ctx, {
        onRetry: (e, attempt) =>
          progress(`${e.body.code}: trying the same request again (${attempt})…`),
      });
      await print(io, command.tool.name, result, ctx, format, options);
      const more = moreNote(parsed.data as Record<string, unknown>, result);
      if (more) io.err.push(more);
      // `order create --wait` waits too: an order that ended failed or cancelled exits 1.
      const order = result as { id?: string; state?: string };
      if (
        command.tool.name === "order.create" && (parsed.data as { wait?: boolean }).wait && order.id
      ) {
        return await orderOutcome(io, order.id, order.state ?? "", ctx);
      }
      if (command.tool.name === "subscription.renew_now") return renewalOutcome(io, result);
      return io.result(OK);
    });
  } catch (e) {
    return failure(io, e, raw);
  }
}

/**
 * A list that filled its page says how to see the rest (on stderr, so pipes and `--json` keep
 * only the result).
 */
function moreNote(args: Record<string, unknown>, result: unknown): string | undefined {
  const { limit, offset } = args;
  if (typeof limit !== "number" || !Array.isArray(result) || result.length < limit) return;
  const page = typeof offset === "number" ? ` or --offset ${offset + limit} for the next` : "";
  return `(${limit} shown; there may be more: a larger --limit${page})`;
}

/** Prints a result in `format` (a card falls back to plain lines when the tool has none). */
async function print(
  io: Output,
  toolName: string,
  result: unknown,
  ctx: ToolContext,
  format: OutputFormat,
  options: CliOptions,
): Promise<void> {
  if (format === "json") {
    io.out.push(JSON.stringify(result, null, 2));
    return;
  }
  if (format === "card") {
    const columns = options.terminal?.columns ?? 80;
    const card = await cardOf(toolName, result, ctx, {
      width: columns >= 120 ? 120 : 80,
      color: options.terminal?.color ?? false,
    });
    if (card !== null) {
      io.out.push(card);
      return;
    }
  }
  io.out.push(...renderPlain(result));
}

interface WaitArgs {
  order_id: string;
  target_state: string;
  timeout_s: number;
}

/**
 * `bss order wait-until`: a progress line per state the order passes through, then the
 * order; an order that ends failed or cancelled (not the state waited for) exits 1 with the
 * reason from its last event.
 */
async function waitUntil(
  io: Output,
  args: WaitArgs,
  ctx: ToolContext,
  format: OutputFormat,
  options: CliOptions,
  progress: (line: string) => void,
): Promise<CliResult> {
  const started = Date.now();
  const order = await waitForOrder(
    ctx,
    args.order_id,
    args.target_state,
    args.timeout_s,
    (s) => progress(`${args.order_id}  ${s}  (${((Date.now() - started) / 1000).toFixed(1)} s)`),
  );
  await print(io, "order.get", order, ctx, format, options);
  if (order.state === args.target_state) return io.result(OK);
  return await orderOutcome(io, args.order_id, order.state, ctx);
}

/** OK, unless the order ended failed or cancelled: then why (on stderr), and exit 1. */
async function orderOutcome(
  io: Output,
  orderId: string,
  state: string,
  ctx: ToolContext,
): Promise<CliResult> {
  if (!["failed", "cancelled"].includes(state)) return io.result(OK);
  io.err.push(`${orderId} ${state}: ${await orderEndReason(orderId, ctx)}`);
  return io.result(FAILED);
}

/**
 * A renewal the card declined blocks the line: the command did not do what it was asked, so it
 * says so on stderr, with the fix, and exits 1.
 */
function renewalOutcome(io: Output, result: unknown): CliResult {
  const line = result as { id?: string; customerId?: string; stateReason?: string };
  if (line.stateReason !== "renewal_payment_declined") return io.result(OK);
  io.err.push(`${line.id} renewal declined: the line is blocked (renewal_payment_declined)`);
  io.err.push(
    `try: bss payment list-methods ${line.customerId}   (set-default-method a card that ` +
      `works, then renew-now again)`,
  );
  return io.result(FAILED);
}

/** An unknown command: the nearest ones ("did you mean"), or the group's or root help. */
function unknownCommand(io: Output, words: string[], help: boolean): CliResult {
  if (words.length && commandsUnder(words).length) {
    io[help ? "out" : "err"].push(...groupHelp(words));
    return io.result(help ? OK : USAGE);
  }
  if (!words.length) {
    io.out.push(...rootHelp());
    return io.result(OK);
  }
  io.err.push(`bss: unknown command: ${words.join(" ")}`);
  const near = nearestCommands(words, COMMANDS.map((c) => c.words));
  if (near.length) {
    io.err.push("", "Did you mean:", ...near.map((n) => `  bss ${n}`));
  } else {
    const group = commandsUnder(words.slice(0, 1)).length ? words[0] : undefined;
    io.err.push("", group ? `Commands: bss ${group} --help` : "Commands: bss --help");
  }
  return io.result(USAGE);
}

/** `bss tools list | docs`. */
function toolsCommand(words: readonly string[], io: Output): CliResult {
  if (words[0] === "docs") io.out.push(toolsMarkdown().trimEnd());
  else if (words[0] === "list") {
    io.out.push(...TOOLS.map((t) => `${t.name.padEnd(44)} ${t.class}${t.hidden ? " hidden" : ""}`));
  } else {
    io.err.push("usage: bss tools list | bss tools docs");
    return io.result(USAGE);
  }
  return io.result(OK);
}

/**
 * Zod issues as lines naming the argument as the usage line does (`QUANTITY: …`,
 * `--event_time: …`); an argument not given at all is named as missing.
 */
function issueLines(error: z.ZodError, raw: Record<string, unknown>, command: Command): string[] {
  return error.issues.map((i) => {
    const name = String(i.path[0] ?? "");
    if (i.path.length === 1 && raw[name] === undefined) {
      return `missing argument ${name.toUpperCase()} (positional, or --${name} VALUE)`;
    }
    if (!i.path.length) return i.message;
    const inner = i.path.slice(1).map((p) => `.${String(p)}`).join("");
    return `${argumentLabel(command, name)}${inner}: ${i.message}`;
  });
}

/** Bad arguments: what is wrong, then the usage line. */
function misuse(io: Output, command: Command, problems: string[]): CliResult {
  io.err.push(
    ...problems.map((p) => `bss: ${p}`),
    ...usageLines(command, "usage:"),
    `(bss ${command.words.join(" ")} --help for more)`,
  );
  return io.result(USAGE);
}

/** A failed call on stderr, per the error contract, with its exit code; never a stack. */
function failure(io: Output, e: unknown, args: Record<string, unknown>): CliResult {
  if (e instanceof HttpError && ["UPSTREAM_UNAVAILABLE", "UPSTREAM_TIMEOUT"].includes(e.code)) {
    io.err.push(`${e.code} ${e.upstream}: ${e.body.message}`);
    if (e.code === "UPSTREAM_UNAVAILABLE") io.err.push(NOT_RUNNING);
    return io.result(FAILED);
  }
  const failed = toolError(e);
  switch (failed.error) {
    case "POLICY_VIOLATION": {
      const { rule } = failed as { rule: string };
      io.err.push(`POLICY_VIOLATION ${rule}  ${failed.detail}`);
      const context = e instanceof PolicyViolation ? e.context : {};
      const fix = fixFor(rule, { ...context, ...args });
      if (fix) io.err.push(fix);
      return io.result(REFUSED);
    }
    case "NOT_FOUND":
      io.err.push(`NOT_FOUND ${failed.detail}`);
      return io.result(NOT_FOUND);
    case "CLIENT_ERROR": {
      const { status, code, issues } = failed as Extract<ToolError, { error: "CLIENT_ERROR" }>;
      io.err.push(`${code} ${failed.detail}`);
      if (issues) io.err.push(...issues.map((i) => `  ${i.path.join(".")}: ${i.message}`));
      if (status === 401 && e instanceof HttpError) {
        io.err.push(`(called ${e.upstream}: is that this instance? check BSS_PORT_OFFSET)`);
      }
      return io.result(
        status === 404 ? NOT_FOUND : status === 400 ? USAGE : status < 500 ? REFUSED : FAILED,
      );
    }
    default:
      io.err.push(`${failed.error === "Error" ? "ERROR" : failed.error} ${failed.detail}`);
      return io.result(FAILED);
  }
}
