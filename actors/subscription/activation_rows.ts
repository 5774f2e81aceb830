/**
 * The activation saga's row (`subscription.activation`): read by the actor's turns and by
 * the create endpoint that waits for a saga to settle.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import { PolicyViolation } from "../../kernel/errors.ts";
import type { Refusal } from "../effects/effect.ts";
import type { z } from "zod";

/** A `subscription.activation` row. */
export interface ActivationRow {
  subscription_id: string;
  commercial_order_id: string | null;
  request: Record<string, unknown>;
  notify_kind: string | null;
  notify_key: string | null;
  state: "running" | "activated" | "refused";
  refusal: z.infer<typeof Refusal> | null;
}

/** The activation of a subscription id, or undefined. */
export async function findActivation(
  sql: Sql,
  subscriptionId: string,
): Promise<ActivationRow | undefined> {
  const [row] = await sql<ActivationRow[]>`
    select * from subscription.activation where subscription_id = ${subscriptionId}`;
  return row;
}

/** The activation of a commercial order, or undefined. */
export async function activationOfOrder(
  sql: Sql,
  orderId: string,
): Promise<ActivationRow | undefined> {
  const [row] = await sql<ActivationRow[]>`
    select * from subscription.activation where commercial_order_id = ${orderId}`;
  return row;
}

/**
 * Waits until the activation of `subscriptionId` has settled (polling, so any process may
 * run the saga); a refusal is thrown as its PolicyViolation. Fails after `timeoutMs`.
 */
export async function awaitActivation(
  sql: Sql,
  subscriptionId: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 2;; wait = Math.min(wait * 2, 50)) {
    const row = await findActivation(sql, subscriptionId);
    if (row?.state === "activated") return;
    if (row?.state === "refused" && row.refusal) {
      const { rule, message, context } = row.refusal;
      throw new PolicyViolation(rule, message, context);
    }
    if (Date.now() > deadline) {
      throw new Error(`the activation of ${subscriptionId} did not settle in ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, wait));
  }
}
