/**
 * The service order actor's messages (key = the commercial order id): `decompose` from
 * `order.in_progress`, `start` (sent to itself by earlier versions), effect outcomes, task
 * outcomes from the provisioning simulator's events, `stop` asked by COM before it cancels,
 * `cancel` from `order.cancelled`, `order_failed` from `order.failed`, `link_subscription`
 * from `order.completed`.
 *
 * @module
 */
import { z } from "zod";
import { outcomeMessage } from "../effects/effect.ts";

const Snapshot = z.object({
  priceAmount: z.string(),
  priceCurrency: z.string(),
  priceOfferingPriceId: z.string(),
});

/** `decompose`, with the offering's service mapping once an effect has read it. */
export const DecomposeMessage = z.object({
  type: z.literal("decompose"),
  customerId: z.string(),
  offeringId: z.string(),
  msisdnPreference: z.string().nullish(),
  paymentMethodId: z.string().nullish(),
  priceSnapshot: Snapshot.nullish(),
  mapping: z.object({ cfs: z.string(), rfs: z.array(z.string()) }).nullish(),
});

/** Every message the service order actor handles. */
export const ServiceOrderMessage = z.discriminatedUnion("type", [
  DecomposeMessage,
  z.object({ type: z.literal("start") }),
  // the effect runner's reports of the mapping's read, the line reservation and a release
  outcomeMessage("mapping_read"),
  outcomeMessage("line_reserved"),
  outcomeMessage("line_released"),
  z.object({ type: z.literal("task_completed"), taskType: z.string() }),
  z.object({
    type: z.literal("task_failed"),
    taskType: z.string(),
    // Only permanent failures count; a missing flag means permanent (docs/flows.md §1.5).
    permanent: z.boolean().nullish(),
  }),
  z.object({ type: z.literal("task_stuck"), taskType: z.string() }),
  z.object({ type: z.literal("cancel"), fromState: z.string().nullish() }),
  z.object({ type: z.literal("stop") }),
  z.object({ type: z.literal("order_failed"), reason: z.string().nullish() }),
  z.object({
    type: z.literal("link_subscription"),
    subscriptionId: z.string(),
    cfsServiceId: z.string().nullish(),
  }),
]);

/** A message of the service order actor. */
export type ServiceOrderMessage = z.infer<typeof ServiceOrderMessage>;

/** One variant of {@link ServiceOrderMessage}. */
export type ServiceOrderMessageOf<T extends ServiceOrderMessage["type"]> = Extract<
  ServiceOrderMessage,
  { type: T }
>;
