/**
 * The live feed's broker source: the portal process's own queue on `bss.events` (exclusive,
 * auto-delete, named by the broker, bound to every event type), consumed without acks — the
 * queue goes with the connection, and what a dropped connection loses the durable log still
 * has (the feed falls back to tailing it, and a reconnect replays from it). Each message
 * hands on the event id the bridge publishes as its `message_id`; the feed reads the event's
 * log row by it, so the ids a browser sees stay the log's.
 *
 * The connection recovers by itself (`actors/bridge/amqp/connection.ts`); `onUp` runs once
 * the queue is consumed on a new connection, `onDown` when the connection drops.
 *
 * @module
 */
import type { ChannelModel } from "amqplib";
import { connectBroker } from "../actors/bridge/amqp/connection.ts";
import { EVENTS_EXCHANGE } from "../actors/bridge/amqp/topology.ts";
import { reasonOf } from "../actors/bridge/reason.ts";

/** What the source tells the feed. */
export interface BrokerSourceEvents {
  onEvent(eventId: string): void;
  onUp(): void;
  onDown(reason: string): void;
}

/** Consumes `bss.events` through a queue of this process's own until closed. */
export async function brokerSource(
  url: string,
  events: BrokerSourceEvents,
): Promise<{ close(): Promise<void> }> {
  const connection = await connectBroker(url, async (model: ChannelModel) => {
    const channel = await model.createChannel();
    channel.on("error", (e) => events.onDown(reasonOf(e)));
    await channel.assertExchange(EVENTS_EXCHANGE, "topic", { durable: true });
    const { queue } = await channel.assertQueue("", { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, EVENTS_EXCHANGE, "#");
    await channel.consume(queue, (m) => {
      if (m && typeof m.properties.messageId === "string") events.onEvent(m.properties.messageId);
    }, { noAck: true });
    events.onUp();
  });
  connection.on("disconnect", (e) => events.onDown(reasonOf(e)));
  return { close: () => connection.close() };
}
