/**
 * Waiting for work that settles in a later turn (an activation, a charge) from outside the
 * actor: the endpoint that answers with the result polls its row, so any process may run
 * the effect and its outcome turn.
 *
 * @module
 */
import type { z } from "zod";
import { PolicyViolation } from "../../kernel/errors.ts";
import type { Refusal } from "../effects/effect.ts";
import { AskTimeout } from "../runtime/asks.ts";

/** A row that is `running` until it settles, `refused` with its refusal. */
export interface Settling {
  state: string;
  refusal: z.infer<typeof Refusal> | null;
}

/**
 * Waits until `read()` finds the row settled; a refusal is thrown as its PolicyViolation.
 * Gives up after `timeoutMs` with an AskTimeout naming `what`.
 */
export async function awaitSettled(
  read: () => Promise<Settling | undefined>,
  what: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 2;; wait = Math.min(wait * 2, 50)) {
    const row = await read();
    if (row?.state === "refused" && row.refusal) {
      const { rule, message, context } = row.refusal;
      throw new PolicyViolation(rule, message, context);
    }
    if (row && row.state !== "running") return;
    // Late, not failed (it may still settle): answered like an ask that timed out (503).
    if (Date.now() > deadline) throw new AskTimeout(`${what} did not settle in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, wait));
  }
}
