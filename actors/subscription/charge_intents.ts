/**
 * Charges decided in a turn and made after it (`subscription.charge_intent`): a renewal or a
 * VAS purchase records its intent and stages the charge effect (`charge_effects.ts`) in one
 * transaction; the outcome turn settles the intent. The endpoints that answer with the result
 * (a manual renewal, a purchase, the renewal sweep) wait for the intent to settle.
 *
 * @module
 */
import type { z } from "zod";
import type { Sql } from "../../kernel/db/types.ts";
import type { Refusal } from "../effects/effect.ts";
import { stageEffect } from "../effects/effect.ts";
import type { Turn } from "../runtime/types.ts";
import { awaitSettled } from "./settled.ts";

/** A `subscription.charge_intent` row. */
export interface IntentRow {
  idempotency_key: string;
  subscription_id: string;
  purpose: "renewal" | "vas";
  request: Record<string, unknown>;
  state: "running" | "applied" | "refused";
  refusal: z.infer<typeof Refusal> | null;
}

/** What a turn that staged (or found) a charge answers: its key and where it stands. */
export interface ChargeReply {
  chargeKey: string;
  state: IntentRow["state"];
}

/** The effect type and outcome message of each purpose. */
const EFFECTS = {
  renewal: { type: "subscription.charge_renewal", replyType: "renewal_charged" },
  vas: { type: "subscription.charge_vas", replyType: "vas_charged" },
} as const;

/**
 * Records the intent and stages its charge (the effect's input is `input`, keyed `key`);
 * an intent already recorded under `key` is answered as it stands, nothing staged twice.
 */
export async function stageCharge(
  turn: Turn,
  purpose: IntentRow["purpose"],
  key: string,
  request: Record<string, unknown>,
  input: Record<string, unknown>,
): Promise<ChargeReply> {
  const [known] = await turn.sql<IntentRow[]>`
    select * from subscription.charge_intent where idempotency_key = ${key}`;
  if (known) return { chargeKey: key, state: known.state };
  await turn.sql`
    insert into subscription.charge_intent (idempotency_key, subscription_id, purpose, request)
    values (${key}, ${turn.key}, ${purpose}, ${JSON.stringify(request)}::text::jsonb)`;
  await stageEffect(turn, { ...EFFECTS[purpose], key, input: { ...input, key } });
  return { chargeKey: key, state: "running" };
}

/** The running intent `key` of this actor, locked for the outcome turn; else undefined. */
export async function runningIntent(turn: Turn, key: string): Promise<IntentRow | undefined> {
  const [row] = await turn.sql<IntentRow[]>`
    select * from subscription.charge_intent
    where idempotency_key = ${key} and subscription_id = ${turn.key} and state = 'running'
    for update`;
  return row;
}

/** Settles an intent: applied, or refused with the rule that ended it. */
export async function settleIntent(
  turn: Turn,
  key: string,
  refusal?: z.infer<typeof Refusal>,
): Promise<void> {
  await turn.sql`
    update subscription.charge_intent
    set state = ${refusal ? "refused" : "applied"}, settled_at = now(),
      refusal = ${refusal ? JSON.stringify(refusal) : null}::text::jsonb
    where idempotency_key = ${key}`;
}

/** Waits until the intent `key` has settled; a refusal is thrown as its PolicyViolation. */
export function awaitCharge(sql: Sql, key: string, timeoutMs: number): Promise<void> {
  return awaitSettled(
    async () => {
      const [row] = await sql<IntentRow[]>`
      select * from subscription.charge_intent where idempotency_key = ${key}`;
      return row;
    },
    `the charge ${key}`,
    timeoutMs,
  );
}
