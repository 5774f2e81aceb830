/**
 * What one agent turn has done so far, and when it must stop: the per-turn tool-call budget,
 * the 3-strike bail (three failed calls in a row) and the stuck bail (three identical calls
 * with identical results in a row). Stopping aborts the graph before the model is asked
 * again; the turn then ends with the reason (docs/handbook, the cockpit page).
 *
 * @module
 */

/** One tool call of the turn, as the agent made it. */
export interface CallRecord {
  /** Dotted tool name. */
  name: string;
  args: Record<string, unknown>;
  callId: string;
  result: unknown;
  /** The result is an `{error: …}` observation (a refusal, a bad argument, not found…). */
  failed: boolean;
  /** A destructive call the gate held back: a proposal, not an execution. */
  blocked: boolean;
  /** A destructive call that ran. */
  destructive: boolean;
}

/** How many failures, or identical calls, in a row end the turn. */
export const STRIKES = 3;

/** Object keys sorted at every depth, so equal arguments give equal JSON. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_, v) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0))
        : v,
  );
}

/** Whether a tool result is a failure observation. */
export function isFailure(result: unknown): boolean {
  return result !== null && typeof result === "object" && !Array.isArray(result) &&
    "error" in result;
}

/** The calls of one turn and its stop reason. */
export class TurnLedger {
  readonly calls: CallRecord[] = [];
  #started = 0;
  #failures = 0;
  #same = 0;
  #lastKey = "";
  /** Why the turn was stopped early, if it was. */
  stopped?: string;

  constructor(readonly budget: number, readonly abort: AbortController) {}

  /** Counts a call about to run; false (and the turn stopped) when the budget is spent. */
  admit(name: string): boolean {
    if (this.#started >= this.budget) {
      this.stop(
        `agent_loop_bailout: the turn's budget of ${this.budget} tool calls is spent ` +
          `(last tool: '${name}'). Narrow the request or split it.`,
      );
      return false;
    }
    this.#started++;
    return true;
  }

  /** Records a finished call and applies both bails. */
  record(call: CallRecord): void {
    this.calls.push(call);
    this.#failures = call.failed ? this.#failures + 1 : 0;
    const key = canonicalJson([call.name, call.args, call.result]);
    this.#same = key === this.#lastKey ? this.#same + 1 : 1;
    this.#lastKey = key;
    if (this.#failures >= STRIKES) {
      this.stop(
        `agent_loop_bailout: ${STRIKES} consecutive tool failures (last tool: '${call.name}'). ` +
          "Read the errors above, fix the request and try again.",
      );
    } else if (this.#same >= STRIKES) {
      this.stop(
        `agent_loop_bailout: ${STRIKES} identical calls to '${call.name}' in a row. ` +
          "The agent was going round in circles; rephrase the request.",
      );
    }
  }

  /** Stops the turn (the first reason wins). */
  stop(reason: string): void {
    if (this.stopped) return;
    this.stopped = reason;
    this.abort.abort(new Error(reason));
  }
}
