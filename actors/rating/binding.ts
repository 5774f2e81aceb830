/**
 * Rating's event consumer: queue `rating.usage.recorded` takes `usage.recorded` (docs/flows.md
 * §5.1) to the rating actor of the event's subscription. A payload that breaks the contract
 * is poison and parks.
 *
 * @module
 */
import type { Binding } from "../bridge/types.ts";
import { UsageRecorded } from "../mediation/events.ts";
import { RATING_KIND } from "./rating_kind.ts";

/** `usage.recorded` → `rate` on `rating/<subscriptionId>`. */
export const usageRecordedBinding: Binding = {
  queue: "rating.usage.recorded",
  pattern: "usage.recorded",
  to(event) {
    const usage = UsageRecorded.parse(event.payload);
    return { kind: RATING_KIND, key: usage.subscriptionId, message: { type: "rate", usage } };
  },
};
