/**
 * docs/TOOLS.md, generated from the registry (`deno task bss tools docs > docs/TOOLS.md`);
 * a test fails when the file and the registry drift apart.
 *
 * @module
 */
import { NOT_AVAILABLE, SCENARIO_VERBS, TOOL_ALIASES, TOOLS } from "./registry.ts";
import type { Tool } from "./tool.ts";
import { type ArgShape, argumentsOf } from "./schema.ts";

/** One argument as the docs show it: `name?: type = default`. */
function argument(name: string, { type, optional, fallback }: ArgShape): string {
  const shown = `${name}${optional ? "?" : ""}: ${type}`;
  const full = fallback === undefined ? shown : `${shown} = ${JSON.stringify(fallback)}`;
  // A bare `|` ends a table cell, even inside a code span.
  return full.replaceAll("|", "\\|");
}

/** The table row of one tool. */
function row(tool: Tool): string {
  const args = argumentsOf(tool.args).map(([name, shape]) => argument(name, shape));
  const profiles = tool.profiles.length ? tool.profiles.join(", ") : "—";
  return `| \`${tool.name}\` | ${tool.class}${tool.hidden ? " (hidden)" : ""} | ${profiles} | ` +
    `${args.map((a) => `\`${a}\``).join("<br>") || "—"} | ${tool.description} |`;
}

/** A table of tools. */
function table(tools: readonly Tool[]): string[] {
  return [
    "| Tool | Class | Profiles | Arguments | Description |",
    "|---|---|---|---|---|",
    ...tools.map(row),
  ];
}

/** The whole of docs/TOOLS.md. */
export function toolsMarkdown(): string {
  return [
    // Generated: deno fmt would realign the tables and the file would drift from its source.
    "<!-- deno-fmt-ignore-file -->",
    "",
    "# Tools",
    "",
    "Generated from the tool registry (`tools/registry.ts`) by `deno task bss tools docs`;",
    "do not edit by hand. Every tool is also a CLI verb: `bss <group> <verb> --<argument> …`",
    "(the dotted name with `.` as spaces and `_` as `-`). Classes: read, create, update,",
    "destructive (gated behind `--allow-destructive`), admin. Hidden tools are never offered",
    "to an LLM.",
    "",
    `## Registry (${TOOLS.length} tools)`,
    "",
    ...table(TOOLS),
    "",
    "## Scenario-only verbs",
    "",
    "Offered to the CLI and the scenario runner, never to an LLM (docs/cockpit.md §9.3).",
    "",
    ...table(SCENARIO_VERBS),
    "",
    "## Aliases",
    "",
    "Earlier names, still accepted by the scenario runner and the CLI:",
    "",
    ...Object.entries(TOOL_ALIASES).map(([alias, name]) => `- \`${alias}\` → \`${name}\``),
    "",
    "## Not available",
    "",
    ...NOT_AVAILABLE.map(([names, why]) => `- ${names}: ${why}.`),
    "",
  ].join("\n");
}
