/**
 * Command-line arguments → a tool's arguments. Flags carry the tool's own argument names
 * (`--customer_id`, or `--customer-id`); the required arguments may also come positionally,
 * in declaration order (`bss customer get CUST-0001`). Each string becomes the kind of value
 * the argument's schema takes; the schema then has the last word.
 *
 * @module
 */
import { type ArgShape, argumentsOf } from "../../tools/schema.ts";
import type { Tool } from "../../tools/tool.ts";
import { nearestWord } from "./suggest.ts";

/** The options every command takes, beside its tool's arguments. */
export interface GlobalFlags {
  json: boolean;
  allowDestructive: boolean;
  help: boolean;
  /** `--format card|plain|json`; unset: card on a terminal, plain lines otherwise. */
  format?: OutputFormat;
}

/** How a result is printed. */
export type OutputFormat = "card" | "plain" | "json";
const FORMATS: readonly OutputFormat[] = ["card", "plain", "json"];

/** A command line split into words, global flags and `--name value` pairs. */
export interface SplitArgs {
  words: string[];
  flags: GlobalFlags;
  /** In order; a flag without a value has `value` undefined. */
  named: Array<{ name: string; value?: string }>;
}

/** A command line the CLI cannot use: the message says why. */
export class UsageError extends Error {
  override name = "UsageError";
}

const GLOBALS: Record<string, "json" | "allowDestructive" | "help"> = {
  "--json": "json",
  "--allow-destructive": "allowDestructive",
  "--help": "help",
  "-h": "help",
};

/**
 * Splits argv. A `--name` takes the next word as its value unless that word is itself a
 * flag; `--name=value` always does. Which flags are booleans is decided later, per tool.
 */
export function split(argv: readonly string[]): SplitArgs {
  const out: SplitArgs = {
    words: [],
    flags: { json: false, allowDestructive: false, help: false },
    named: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word in GLOBALS) out.flags[GLOBALS[word]] = true;
    else if (word === "--format" || word.startsWith("--format=")) {
      const value = word === "--format" ? argv[++i] : word.slice("--format=".length);
      if (!FORMATS.includes(value as OutputFormat)) {
        throw new UsageError(`--format takes ${FORMATS.join(", ")}`);
      }
      out.flags.format = value as OutputFormat;
    } else if (word.startsWith("--") && word.length > 2) {
      const eq = word.indexOf("=");
      const name = (eq < 0 ? word.slice(2) : word.slice(2, eq)).replaceAll("-", "_");
      if (eq >= 0) out.named.push({ name, value: word.slice(eq + 1) });
      else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
        out.named.push({ name, value: argv[++i] });
      } else out.named.push({ name });
    } else out.words.push(word);
  }
  return out;
}

/** Id prefixes → the option that takes such an id. */
const ID_OPTIONS: Record<string, string> = {
  CUST: "customer_id",
  SUB: "subscription_id",
  ORD: "order_id",
  CASE: "case_id",
  TKT: "ticket_id",
  SVC: "service_id",
};

const TRUE = new Set(["true", "yes", "on", "1"]);
const FALSE = new Set(["false", "no", "off", "0"]);

/** One command-line string as the value its argument takes (left as is when it is not one). */
function coerce(shape: ArgShape, text: string): unknown {
  switch (shape.kind) {
    case "number": {
      const n = Number(text);
      return text.trim() === "" || Number.isNaN(n) ? text : n;
    }
    case "boolean":
      return TRUE.has(text.toLowerCase()) ? true : FALSE.has(text.toLowerCase()) ? false : text;
    case "array":
      return text.split(",").map((s) => s.trim()).filter(Boolean);
    default:
      return text;
  }
}

/**
 * The raw arguments of `tool` from its flags and positional words. A boolean flag given
 * alone is true; a boolean flag's following word that is not a truth value is a positional.
 */
export function toolArgs(
  tool: Tool,
  named: SplitArgs["named"],
  positional: readonly string[],
): Record<string, unknown> {
  const shapes = new Map(argumentsOf(tool.args));
  const raw: Record<string, unknown> = {};
  const rest = [...positional];
  for (const { name, value } of named) {
    const shape = shapes.get(name);
    if (!shape) {
      const near = nearestWord(name, [...shapes.keys(), "json", "format", "allow_destructive"]);
      const hint = near ? ` — did you mean --${near}?` : "";
      throw new UsageError(`unknown option --${name}${hint}`);
    }
    if (shape.kind === "boolean") {
      if (value === undefined) raw[name] = true;
      else if (TRUE.has(value.toLowerCase()) || FALSE.has(value.toLowerCase())) {
        raw[name] = coerce(shape, value);
      } else {
        raw[name] = true;
        rest.push(value);
      }
      continue;
    }
    if (value === undefined) throw new UsageError(`option --${name} needs a value`);
    const v = coerce(shape, value);
    raw[name] = shape.kind === "array" && Array.isArray(raw[name])
      ? [...raw[name] as unknown[], ...v as unknown[]]
      : v;
  }
  const open = [...shapes].filter(([name, s]) => !s.optional && !(name in raw));
  for (const [name, shape] of open) {
    const word = rest.shift();
    if (word === undefined) break;
    raw[name] = coerce(shape, word);
  }
  if (rest.length) {
    // An id given where only an option takes it (`bss case list CUST-0001`): name the option.
    const kind = ID_OPTIONS[/^([A-Z]+)-/.exec(rest[0])?.[1] ?? ""];
    const fits = kind && shapes.has(kind) && !(kind in raw);
    throw new UsageError(
      `unexpected argument ${rest[0]}${fits ? ` — did you mean --${kind} ${rest[0]}?` : ""}`,
    );
  }
  return raw;
}
