/**
 * The destructive gate (decisions: the registry's `destructive` class is the one list). A
 * destructive call the gate holds back is not run: the model gets
 * `{error: "DESTRUCTIVE_OPERATION_BLOCKED", …}` and the cockpit stages it as the session's
 * one pending action, which only `/confirm` runs. Autonomy decides what an open gate lets
 * through in one turn: `granular`, the first destructive call only; `batched`, all of them.
 *
 * @module
 */

/** How many destructive calls one authorisation covers. */
export type Autonomy = "granular" | "batched";

/** A destructive call held back for `/confirm`. */
export interface Proposal {
  tool: string;
  args: Record<string, unknown>;
}

/** What the model reads instead of a held-back call's result. */
export function blockedResult(tool: string) {
  return {
    error: "DESTRUCTIVE_OPERATION_BLOCKED",
    tool,
    message: `${tool} is destructive: it has been staged as a proposal and runs only when the ` +
      "operator types /confirm. Tell the operator what you proposed and stop.",
  };
}

/** The gate of one turn. */
export class Gate {
  #ran = 0;
  /** The first destructive call held back this turn. */
  proposal?: Proposal;

  /** `open`: destructive calls are authorised (`--allow-destructive`, or after /confirm). */
  constructor(readonly open: boolean, readonly autonomy: Autonomy) {}

  /** Whether a destructive call may run now; if not, it becomes the turn's proposal. */
  admit(tool: string, args: Record<string, unknown>): boolean {
    if (this.open && (this.autonomy === "batched" || this.#ran === 0)) {
      this.#ran++;
      return true;
    }
    this.proposal ??= { tool, args };
    return false;
  }
}
