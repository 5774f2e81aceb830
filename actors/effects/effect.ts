/**
 * Effects as a turn sees them: work on another service that the turn decides but must not
 * wait for while it holds its mailbox transaction. {@link stageEffect} writes the effect in
 * the turn's transaction, so it exists exactly when the turn commits; the effect runner
 * (`runner.ts`) runs it after commit and posts an {@link EffectOutcome} back to the actor as
 * a later message. The idempotency key is derived from the aggregate, never random, so a
 * re-run after any crash repeats the same call and the callee answers with its first result.
 *
 * @module
 */
import { z } from "zod";
import { currentTraceparent } from "../../kernel/events.ts";
import type { Turn } from "../runtime/types.ts";
import { messageContext } from "../runtime/worker.ts";

/** Wakes idle runners when an effect is staged (delivered on commit). */
export const EFFECT_CHANNEL = "bss_effect";

/** This process's runners by effect type: a staging turn wakes them when it commits. */
const runners = new Map<string, Set<() => void>>();

/** Registers `wake` (a runner's) for effects of `types` until the returned function is called. */
export function listenLocally(types: string[], wake: () => void): () => void {
  for (const type of types) runners.set(type, (runners.get(type) ?? new Set()).add(wake));
  return () => types.forEach((type) => runners.get(type)?.delete(wake));
}

/** Wakes this process's runners of `type` (the database's notification reaches the others). */
function wakeRunners(type: string): void {
  for (const wake of runners.get(type) ?? []) wake();
}

/** An effect to run after the turn commits. */
export interface EffectSpec {
  /** The handler, e.g. `subscription.activate`. */
  type: string;
  /** Stable per business operation: staging the same key again changes nothing. */
  key: string;
  input: Record<string, unknown>;
  /** The message type the outcome arrives as (to `turn.kind`/`turn.key`). */
  replyType: string;
}

/** A refusal carried back as data: the PolicyViolation the effect's callee answered. */
export const Refusal = z.object({
  rule: z.string(),
  message: z.string(),
  context: z.record(z.string(), z.unknown()),
});

/** What the runner reports: the handler's value, a refusal, or a failure past its retries. */
export const EffectOutcome = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), refusal: Refusal.nullish(), error: z.string().nullish() }),
]);

/** An effect's outcome. */
export type EffectOutcome = z.infer<typeof EffectOutcome>;

/** The message an outcome arrives as: `{type: replyType, effectKey, outcome}`. */
export function outcomeMessage<T extends string>(type: T) {
  return z.object({ type: z.literal(type), effectKey: z.string(), outcome: EffectOutcome });
}

/** Stages `effect` in the turn's transaction; the outcome comes back to this actor. */
export async function stageEffect(turn: Turn, effect: EffectSpec): Promise<void> {
  const context = messageContext(turn.caller, currentTraceparent());
  await turn.sql`
    with staged as (
      insert into effect.effect (type, idempotency_key, input, reply_kind, reply_key, reply_type,
        context)
      values (${effect.type}, ${effect.key}, ${JSON.stringify(effect.input)}::text::jsonb,
        ${turn.kind}, ${turn.key}, ${effect.replyType}, ${JSON.stringify(context)}::text::jsonb)
      on conflict (idempotency_key) do nothing
      returning type
    )
    select pg_notify(${EFFECT_CHANNEL}, type) from staged`;
  turn.afterCommit(() => wakeRunners(effect.type));
}
