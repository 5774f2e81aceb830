/**
 * The order actor's messages. HTTP writes send `create`, `submit` and `cancel` with the facts
 * gathered from other services; the bridge sends `service_order_completed|failed` from SOM's
 * events (docs/flows.md §5.1 payloads); the subscription service answers the order's activation
 * request with `subscription_activated|refused`.
 *
 * @module
 */
import { z } from "zod";

const Snapshot = z.object({
  priceAmount: z.string(),
  priceCurrency: z.string(),
  priceOfferingPriceId: z.string(),
});

/** Every message the order actor handles. */
export const OrderMessage = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("create"),
    customerId: z.string(),
    offeringId: z.string(),
    msisdnPreference: z.string().nullable(),
    notes: z.string().nullable(),
    priceSnapshot: Snapshot,
  }),
  z.object({ type: z.literal("submit"), paymentMethodId: z.string() }),
  z.object({
    type: z.literal("cancel"),
    serviceOrders: z.array(z.object({ id: z.string(), state: z.string() })),
  }),
  z.object({
    type: z.literal("service_order_completed"),
    serviceOrderId: z.string(),
    msisdn: z.string(),
    iccid: z.string(),
    paymentMethodId: z.string().nullish(),
    cfsServiceId: z.string(),
    priceSnapshot: Snapshot.nullish(),
  }),
  z.object({
    type: z.literal("service_order_failed"),
    serviceOrderId: z.string(),
    reason: z.string(),
  }),
  // The subscription service's answer to the order's request.
  z.object({
    type: z.literal("subscription_activated"),
    subscriptionId: z.string(),
    cfsServiceId: z.string().nullish(),
  }),
  z.object({
    type: z.literal("subscription_refused"),
    subscriptionId: z.string(),
    serviceOrderId: z.string().nullish(),
    rule: z.string(),
    message: z.string(),
    context: z.record(z.string(), z.unknown()),
  }),
]);

/** A message of the order actor. */
export type OrderMessage = z.infer<typeof OrderMessage>;

/** One variant of {@link OrderMessage}. */
export type OrderMessageOf<T extends OrderMessage["type"]> = Extract<OrderMessage, { type: T }>;
