/**
 * The command line of a bench (or `deno task chaos`): `--help` prints its usage; an unknown
 * option, a missing value or a count that is not a whole number is refused with the usage and
 * exit status 2, not a stack trace.
 *
 * @module
 */
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";

/** The parsed options: a flag is a boolean; a value a string, or undefined without a default. */
type Values<O extends ParseArgsOptionsConfig> = {
  [K in keyof O]: O[K] extends { type: "boolean" } ? boolean
    : O[K] extends { default: string } ? string
    : string | undefined;
};

/** Prints `problem` and the usage, and exits with status 2. */
function refuse(usage: string, problem: string): never {
  console.error(`${problem}\n\nusage: ${usage}`);
  Deno.exit(2);
}

/** Parses `args` against `options`; `usage` is the command with its options. */
export function benchArgs<O extends ParseArgsOptionsConfig>(
  usage: string,
  args: string[],
  options: O,
) {
  let parsed: Record<string, string | boolean | undefined>;
  try {
    parsed = parseArgs({ args, options: { ...options, help: { type: "boolean" } } }).values;
  } catch (e) {
    refuse(usage, (e as Error).message);
  }
  if (parsed.help) {
    console.log(`usage: ${usage}`);
    Deno.exit(0);
  }
  const values = parsed as Values<O>;
  return {
    values,
    /** The option `name` as a whole number of at least `min`. */
    count(name: keyof O & string, min = 1): number {
      const raw = parsed[name];
      const n = Number(raw);
      if (!Number.isInteger(n) || n < min) {
        refuse(usage, `--${name} must be a whole number of at least ${min} (got "${raw}")`);
      }
      return n;
    },
    /** Refuses the command line with `problem`. */
    refuse: (problem: string): never => refuse(usage, problem),
  };
}
