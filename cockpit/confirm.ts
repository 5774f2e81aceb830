/**
 * The gate on destructive verbs, shared by `bss` and `deno task actors`: without
 * `--allow-destructive` a verb runs only when the operator, at a terminal, types it; with no
 * terminal it is refused (exit 4).
 *
 * @module
 */

/** Asks `question` at the terminal and returns the line typed (null at end of input). */
export type Confirm = (question: string) => string | null;

/** Asking at this process's terminal, or undefined when stdin is not one. */
export function terminalConfirm(): Confirm | undefined {
  return Deno.stdin.isTerminal() ? (question) => prompt(question) : undefined;
}

/**
 * Why the destructive command `name` does not run without `--allow-destructive`, or undefined
 * when the operator confirmed it by typing `verb`.
 */
export function unconfirmed(name: string, verb: string, confirm?: Confirm): string | undefined {
  if (!confirm) {
    return `${name} is destructive: refused without --allow-destructive (no terminal to confirm on).`;
  }
  const typed = confirm(`${name} is destructive. Type "${verb}" to run it, anything else cancels:`);
  return typed?.trim() === verb ? undefined : `${name} not confirmed: nothing was done.`;
}
