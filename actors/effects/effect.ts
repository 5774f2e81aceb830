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
import { PROCESS_HOLDER } from "../../kernel/db/holder.ts";
import { currentTraceparent } from "../../kernel/events.ts";
import type { Turn } from "../runtime/types.ts";
import { messageContext } from "../runtime/worker.ts";

/** Wakes idle runners when an effect is staged (delivered on commit). */
export const EFFECT_CHANNEL = "bss_effect";

/** A staged effect, as its runner runs and reports it. */
export interface EffectRow {
  id: number;
  type: string;
  idempotency_key: string;
  input: Record<string, unknown>;
  reply_kind: string;
  reply_key: string;
  reply_type: string;
  attempts: number;
  context: Record<string, string>;
}

/** A runner of this process, as a staging turn sees it. */
export interface LocalRunner {
  /** Wakes it to claim what is due. */
  wake(): void;
  /** The lease (ms) it would take a new effect under now, or null: no free slot, or stopping. */
  takes(): number | null;
  /** Runs `row`, staged already leased to it, once the staging turn has committed. */
  adopt(row: EffectRow): void;
}

/** This process's runners by effect type. */
const runners = new Map<string, Set<LocalRunner>>();

/** Registers `runner` for effects of `types` until the returned function is called. */
export function registerLocally(types: string[], runner: LocalRunner): () => void {
  for (const type of types) runners.set(type, (runners.get(type) ?? new Set()).add(runner));
  return () => types.forEach((type) => runners.get(type)?.delete(runner));
}

/** Wakes this process's runners of `type` (the database's notification reaches the others). */
function wakeRunners(type: string): void {
  for (const runner of runners.get(type) ?? []) runner.wake();
}

/** A runner of this process with a free slot for `type`, and the lease it takes effects under. */
function takerOf(type: string): { runner: LocalRunner; leaseMs: number } | undefined {
  for (const runner of runners.get(type) ?? []) {
    const leaseMs = runner.takes();
    if (leaseMs !== null) return { runner, leaseMs };
  }
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

/**
 * Stages `effect` in the turn's transaction; the outcome comes back to this actor. When a
 * runner of this process has a free slot, the effect is leased to it and its attempt counted
 * right here, and it runs as soon as the turn commits: no wake-up, no claim of its own. Should
 * the process die first, any runner claims it, as after a crash mid-run.
 * Otherwise the NOTIFY wakes a runner, here or in another process, to claim it.
 */
export async function stageEffect(turn: Turn, effect: EffectSpec): Promise<void> {
  const context = messageContext(turn.caller, currentTraceparent());
  const taker = takerOf(effect.type);
  const [row] = await turn.sql<EffectRow[]>`
    with staged as (
      insert into effect.effect (type, idempotency_key, input, reply_kind, reply_key, reply_type,
        context, attempts, lease_until, holder)
      values (${effect.type}, ${effect.key}, ${JSON.stringify(effect.input)}::text::jsonb,
        ${turn.kind}, ${turn.key}, ${effect.replyType}, ${JSON.stringify(context)}::text::jsonb,
        ${taker ? 1 : 0}, now() + make_interval(secs => ${taker ? taker.leaseMs / 1000 : null}),
        ${taker ? PROCESS_HOLDER : null})
      on conflict (idempotency_key) do nothing
      returning id, type, idempotency_key, input, reply_kind, reply_key, reply_type, attempts,
        context
    )
    select s.*, case when ${!!taker} then null else pg_notify(${EFFECT_CHANNEL}, s.type)::text end
      as woken
    from staged s`;
  // Staged before (a replayed turn): nothing to run, the first staging's runner has it.
  if (!row) return;
  turn.afterCommit(taker ? () => taker.runner.adopt(row) : () => wakeRunners(effect.type));
}
