/**
 * The activation saga's row (`subscription.activation`): read by the actor's turns and by
 * the create endpoint that waits for a saga to settle.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import type { Refusal } from "../effects/effect.ts";
import type { z } from "zod";
import { awaitSettled } from "./settled.ts";

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
 * Waits until the activation of `subscriptionId` has settled; a refusal is thrown as its
 * PolicyViolation. Fails after `timeoutMs`.
 */
export function awaitActivation(sql: Sql, subscriptionId: string, timeoutMs: number) {
  return awaitSettled(
    () => findActivation(sql, subscriptionId),
    `the activation of ${subscriptionId}`,
    timeoutMs,
  );
}
