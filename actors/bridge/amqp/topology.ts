/**
 * The broker topology of the bridge. Events go to the topic exchange `bss.events`, routing
 * key = event type. Each binding queue `q` has:
 *
 * - `q`: bound to `bss.events` by the binding's pattern. A rejected message is dead-lettered
 *   to the direct exchange `bss.events.retry` with routing key `q`.
 * - `q.retry`: bound to `bss.events.retry` by `q`; holds a message for
 *   `BSS_MQ_RETRY_BACKOFF_MS`, then dead-letters it to the default exchange with routing key
 *   `q`, i.e. straight back into `q` alone. (Dead-lettering to `bss.events` with the event's
 *   own key would fan the retry out again to every queue bound to that key, so consumers
 *   that already handled the event would see it again; the default exchange routes to
 *   exactly one queue.) Each round adds to the message's `x-death` entry for `q`, which the
 *   consumer reads as the retry count.
 * - `q.parked`: where the consumer copies a message that exhausted its retries.
 *
 * Everything is durable; declaring is idempotent, so every process that has the bindings
 * declares them on every (re)connect, before it publishes or consumes.
 *
 * @module
 */
import type { ChannelModel } from "amqplib";
import type { Binding } from "../types.ts";

/** The topic exchange all events are published to. */
export const EVENTS_EXCHANGE = "bss.events";
/** The direct exchange rejected messages wait behind, keyed by their queue. */
export const RETRY_EXCHANGE = "bss.events.retry";

/** The retry queue of binding queue `queue`. */
export const retryQueue = (queue: string) => `${queue}.retry`;
/** The parking queue of binding queue `queue`. */
export const parkedQueue = (queue: string) => `${queue}.parked`;

/** Declares the exchanges and, per binding, its three queues and their bindings. */
export async function declareTopology(
  model: ChannelModel,
  bindings: Binding[],
  retryBackoffMs: number,
): Promise<void> {
  const ch = await model.createChannel();
  try {
    await ch.assertExchange(EVENTS_EXCHANGE, "topic", { durable: true });
    await ch.assertExchange(RETRY_EXCHANGE, "direct", { durable: true });
    for (const { queue, pattern } of bindings) {
      await ch.assertQueue(queue, {
        durable: true,
        deadLetterExchange: RETRY_EXCHANGE,
        deadLetterRoutingKey: queue,
      });
      await ch.bindQueue(queue, EVENTS_EXCHANGE, pattern);
      await ch.assertQueue(retryQueue(queue), {
        durable: true,
        messageTtl: retryBackoffMs,
        deadLetterExchange: "",
        deadLetterRoutingKey: queue,
      });
      await ch.bindQueue(retryQueue(queue), RETRY_EXCHANGE, queue);
      await ch.assertQueue(parkedQueue(queue), { durable: true });
    }
  } finally {
    await ch.close().catch(() => {});
  }
}
