/**
 * The events the subscription service consumes (docs/flows.md §5.1).
 *
 * @module
 */
import { z } from "zod";
import type { Binding } from "../../actors/bridge/types.ts";

const UsageRated = z.object({
  usageEventId: z.string().min(1),
  subscriptionId: z.string().min(1),
  allowanceType: z.string().min(1),
  consumedQuantity: z.number().int().min(0),
});

/** Queue `subscription.usage.rated`: each rated usage decrements its subscription. */
export const usageRatedBinding: Binding = {
  queue: "subscription.usage.rated",
  pattern: "usage.rated",
  to(event) {
    const e = UsageRated.parse(event.payload);
    return {
      kind: "subscription",
      key: e.subscriptionId,
      message: {
        type: "usage_rated",
        usageEventId: e.usageEventId,
        allowanceType: e.allowanceType,
        consumedQuantity: e.consumedQuantity,
      },
    };
  },
};

const PortedOut = z.object({ msisdn: z.string().min(1), subscriptionId: z.string().min(1) });

/**
 * Queue `subscription.inventory.msisdn.ported_out`: the line of a number ported to another
 * carrier terminates (reason `ported_out`) without handing the number back to the pool.
 */
export const portedOutBinding: Binding = {
  queue: "subscription.inventory.msisdn.ported_out",
  pattern: "inventory.msisdn.ported_out",
  to(event) {
    const e = PortedOut.parse(event.payload);
    return {
      kind: "subscription",
      key: e.subscriptionId,
      message: { type: "terminate", reason: "ported_out", releaseInventory: false },
    };
  },
};
