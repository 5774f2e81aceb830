/**
 * The exit codes of every operator command — `bss`, `bss trace`, `bss scenario`,
 * `deno task actors` — one table, documented in the README ("Exit codes").
 *
 * @module
 */
import { NotFound, PolicyViolation } from "../kernel/errors.ts";

/** What a command's exit code says. */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** It ran and failed: a service down, a timeout, a failed order or scenario. */
  failure: 1,
  /** The command line is wrong: unknown command or option, missing or bad argument. */
  usage: 2,
  /** An id that does not exist. */
  notFound: 3,
  /** Refused by a rule: a policy violation, a gate, a disabled admin route. */
  refused: 4,
} as const;

/** The exit code of an error a command caught. */
export function exitCodeOf(e: unknown): number {
  if (e instanceof NotFound) return EXIT.notFound;
  if (e instanceof PolicyViolation) return EXIT.refused;
  return EXIT.failure;
}
