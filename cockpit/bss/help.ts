/**
 * `--help` at every level: the groups, the commands of a group, one command's usage.
 *
 * @module
 */
import { isWrapper } from "../../tools/registry.ts";
import { argumentsOf } from "../../tools/schema.ts";
import { wrapped } from "../render/text.ts";
import { type Command, commandsUnder, groups } from "./commands.ts";

/** The placeholder of an argument in a usage line: `CUSTOMER_ID`. */
function placeholder(name: string): string {
  return name.toUpperCase();
}

/** How the usage line names argument `name`: `QUANTITY` when required, `--event_time` if not. */
export function argumentLabel(command: Command, name: string): string {
  const shape = argumentsOf(command.tool.args).find(([n]) => n === name)?.[1];
  return shape && !shape.optional ? placeholder(name) : `--${name}`;
}

/** One command's usage line: required arguments positional, the rest as options. */
export function usage(command: Command): string {
  const args = argumentsOf(command.tool.args).map(([name, shape]) => {
    if (!shape.optional) return placeholder(name);
    return shape.kind === "boolean" ? `[--${name}]` : `[--${name} ${placeholder(name)}]`;
  });
  const destructive = command.tool.class === "destructive" ? " --allow-destructive" : "";
  return `bss ${command.words.join(" ")} ${args.join(" ")}${destructive}`.replace(/\s+$/, "");
}

/** `label` and the usage line (with `extra`), wrapped under itself to {@link HELP_WIDTH}. */
export function usageLines(command: Command, label: string, extra = ""): string[] {
  const tokens = `${usage(command)}${extra}`.match(/\[[^\]]*\]|\S+/g)!;
  return hanging([label, ...tokens], " ".repeat(label.length + 1));
}

/** The full help of one command, wrapped to {@link HELP_WIDTH} columns. */
export function commandHelp(command: Command): string[] {
  const { tool } = command;
  const title = `bss ${command.words.join(" ")} —`;
  const lines = [
    ...hanging(`${title} ${tool.description}`.split(" "), "  "),
    "",
    ...usageLines(command, "Usage:", " [--json]"),
    "",
    `Tool: ${tool.name} (${tool.class}${tool.hidden ? ", hidden from LLMs" : ""})`,
  ];
  // A long list of choices goes into the description, so the names stay in one column.
  const args = argumentsOf(tool.args).map(([name, s]) => {
    const choices = s.type.includes("|") && s.type.length > 24;
    const flag = `--${name} <${choices ? "choice" : s.type}>`;
    return { flag, s, choices: choices ? `one of ${s.type.split("|").join(", ")}` : "" };
  });
  if (args.length) {
    lines.push("", "Arguments (positional in this order when required, or --name value):");
    const width = Math.max(...args.map((a) => a.flag.length));
    for (const { flag, s, choices } of args) {
      const extra = [
        s.optional ? "optional" : "required",
        s.fallback !== undefined ? `default ${JSON.stringify(s.fallback)}` : "",
        choices,
      ].filter(Boolean).join(", ");
      const text = `${extra}${s.description ? ` — ${s.description}` : ""}`;
      const [first, ...rest] = hanging(text.split(" "), " ".repeat(width + 4));
      lines.push(`  ${flag.padEnd(width)}  ${first.trimStart()}`, ...rest);
    }
  }
  if (tool.class === "destructive") {
    lines.push(
      "",
      "Destructive: runs with --allow-destructive, or on a terminal once you type its verb.",
    );
  }
  const call = hanging(example(command).split(" "), "    ", HELP_WIDTH - 2);
  lines.push("", "Example:", ...call.map((l) => `  ${l}`));
  return lines;
}

/** `words` wrapped to `width` columns, every line after the first indented by `hang`. */
function hanging(words: string[], hang: string, width = HELP_WIDTH): string[] {
  return wrapped(words, width - hang.length).map((l, i) => i ? hang + l : l);
}

/** An example call: the required arguments as placeholders, plus --json on reads. */
function example(command: Command): string {
  const required = argumentsOf(command.tool.args).filter(([, s]) => !s.optional);
  const args = required.map(([name]) => `--${name} <${placeholder(name)}>`);
  if (command.tool.class === "read") args.push("--json");
  if (command.tool.class === "destructive") args.push("--allow-destructive");
  return `bss ${command.words.join(" ")} ${args.join(" ")}`.trimEnd();
}

/** Commands the CLI answers itself (not a registry tool), listed with their group's. */
const LOCAL_COMMANDS: ReadonlyArray<readonly [words: string, description: string]> = [
  [
    "admin tokens",
    "The configured identities (scopes, tenant, what they may assert) and the scope each route " +
    "needs; read locally, no service call",
  ],
];

/** The commands under a prefix (`bss customer --help`). */
export function groupHelp(prefix: readonly string[]): string[] {
  const commands = commandsUnder(prefix);
  const rows: Array<readonly [words: string, text: string]> = [
    ...commands.map((c) =>
      [
        c.words.join(" "),
        (c.alias ? `(= ${c.tool.name}) ` : "") +
        // The portal's wrappers act for a signed-in customer: from the CLI they only refuse.
        (isWrapper(c.tool.name) ? "[portal only] " : "") + c.tool.description,
      ] as const
    ),
    ...LOCAL_COMMANDS.filter(([words]) => words.startsWith(`${prefix.join(" ")} `)),
  ];
  const width = Math.max(...rows.map(([words]) => words.length));
  return [
    `bss ${prefix.join(" ")} — commands:`,
    "",
    ...rows.flatMap(([words, text]) => {
      const [first, ...rest] = hanging(text.split(" "), " ".repeat(width + 4));
      return [`  ${words.padEnd(width)}  ${first}`, ...rest];
    }),
    "",
    `Help on one: bss ${commands[0].words.join(" ")} --help`,
  ];
}

/** The width help text is wrapped to. */
const HELP_WIDTH = 100;

/** `bss --help`. */
export function rootHelp(): string[] {
  return [
    "bss — the operator's command line for the BSS services",
    "",
    "Usage: bss <group> <verb> [ARGS…] [--name value …] [--json | --format F] " +
    "[--allow-destructive]",
    "",
    "Groups:",
    ...wrapped(groups(), 88, ", ").map((line) => `  ${line}`),
    "  tools (list | docs)",
    "  trace (for-order ORD-… | for-subscription SUB-… | for-ask | get TRACE_ID |",
    "         services [--window 1h])",
    "  scenario (validate PATH… | list [DIR] | run PATH | run-all [DIR] [--tag T] [--live])",
    '  ask "PROMPT" [--allow-destructive]  one agent turn (needs a model: BSS_LLM_BASE_URL)',
    "",
    "Every command runs one tool of the registry (docs/TOOLS.md) with its argument names.",
    "Results print as cards on a terminal, as plain lines in a pipe, as JSON with --json",
    "(or --format card|plain|json). Destructive verbs (resets and clock moves included) run",
    "with --allow-destructive, or on a terminal once you type the verb; else they are refused.",
    "Policy refusals print `POLICY_VIOLATION <rule>  <detail>` on stderr, with the command",
    "that fixes them.",
    "",
    "Exit codes: 0 ok, 1 failure, 2 usage, 3 not found, 4 refused (a rule, an unconfirmed verb).",
    "",
    "Examples:",
    "  bss catalog list",
    "  bss customer create --name 'Ada Lovelace' --email ada@example.com",
    "  bss customer get CUST-0001 --json",
    "  bss order create --customer_id CUST-0001 --offering_id PLAN_M",
    "  bss subscription terminate SUB-0001 --allow-destructive",
    "  bss customer --help",
  ];
}
