/**
 * The rating actor (docs/flows.md §2): one per subscription, so a line's usage is rated in the
 * order it was recorded. It reads the offering's tariff, rates, and emits `usage.rated`, or
 * rating's `usage.rejected` when the tariff cannot rate the event.
 *
 * @module
 */
import { IO_BOUND } from "../runtime/drain_profiles.ts";
import { z } from "zod";
import { NotFound } from "../../kernel/errors.ts";
import { UsageRecorded } from "../mediation/events.ts";
import type { ActorKind } from "../runtime/types.ts";
import { usageRated, usageRejectedByRating } from "./events.ts";
import { type Rating, RATING_REASONS, type Tariff } from "./model.ts";
import { rate } from "./rate.ts";

/** The kind name. */
export const RATING_KIND = "rating";

/** The one message of the kind: rate this recorded usage. */
export const RateMessage = z.object({ type: z.literal("rate"), usage: UsageRecorded });

/** A rating message. */
export type RateMessage = z.infer<typeof RateMessage>;

/** The tariff of an offering; throws NotFound when the catalog does not know it. */
export type TariffOf = (offeringId: string) => Promise<Tariff>;

/** Rates `usage` against its offering's tariff; an unknown offering is a refusal. */
export async function rateRecorded(usage: UsageRecorded, tariffOf: TariffOf): Promise<Rating> {
  let tariff: Tariff;
  try {
    tariff = await tariffOf(usage.offeringId);
  } catch (e) {
    if (!(e instanceof NotFound)) throw e; // catalog unreachable: the turn retries
    const message = `offering ${usage.offeringId} is not in the catalog`;
    return { ok: false, reason: RATING_REASONS.unknownOffering, message };
  }
  return rate(tariff, usage);
}

/** The rating kind, reading tariffs with `tariffOf`. */
export function ratingKind(tariffOf: TariffOf): ActorKind<RateMessage> {
  return {
    kind: RATING_KIND,
    service: "rating",
    // Handlers call other services over HTTP: several loops, small batches.
    ...IO_BOUND,
    parse: (body) => RateMessage.parse(body),
    async handle(turn, { usage }) {
      const rating = await rateRecorded(usage, tariffOf);
      turn.emit(rating.ok ? usageRated(usage, rating) : usageRejectedByRating(usage, rating));
      return rating;
    },
  };
}
