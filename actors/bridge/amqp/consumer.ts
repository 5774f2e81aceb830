/**
 * A safe consumer of one binding queue. Messages are handled one at a time, in queue order
 * (prefetch only keeps the next ones at hand), so mailboxes receive events in the order they
 * were published. Per message, in one Postgres transaction: the inbox claim
 * `(message_id, queue)` and, if the claim is new, the mailbox message; commit, then ack. A
 * crash between commit and ack redelivers the message, and the claim makes it a no-op.
 *
 * A failure (a poison event, the database down) rejects the message into the retry queue,
 * which returns it after `BSS_MQ_RETRY_BACKOFF_MS`; once `q` has rejected it
 * `BSS_MQ_MAX_RETRIES` times it is copied to `q.parked` (with a `parked_reason` header) and
 * acked: parked, never dropped.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { context, SpanKind } from "@opentelemetry/api";
import type { ChannelModel, ConfirmChannel, ConsumeMessage } from "amqplib";
import type { Pool } from "../../../kernel/db/types.ts";
import { log } from "../../../kernel/log.ts";
import { deliverToMailboxes, toDelivery } from "../mailbox_delivery.ts";
import { reasonOf } from "../reason.ts";
import { endHop, startHop, traceHeaders } from "../tracing.ts";
import type { Binding, BusEvent } from "../types.ts";
import { publishConfirmed } from "./confirm.ts";
import { parkedQueue } from "./topology.ts";

/** Consumer tuning (`BSS_MQ_PREFETCH`, `BSS_MQ_MAX_RETRIES`). */
export interface ConsumerSettings {
  prefetch: number;
  maxRetries: number;
}

/** How many times `queue` has rejected this message (its `x-death` entry for the queue). */
function rejections(message: ConsumeMessage, queue: string): number {
  const death = message.properties.headers?.["x-death"]?.find((d) =>
    d.queue === queue && d.reason === "rejected"
  );
  return death ? Number(death.count) : 0;
}

/** The event an AMQP message carries. */
function eventOf(message: ConsumeMessage): BusEvent {
  const { messageId, type, headers } = message.properties;
  if (typeof messageId !== "string") throw new Error("message has no message_id to dedupe on");
  const payload = JSON.parse(message.content.toString("utf8"));
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    throw new TypeError("message body is not a JSON object");
  }
  return {
    eventId: messageId,
    type: typeof type === "string" ? type : message.fields.routingKey,
    payload,
    traceparent: headers?.traceparent,
  };
}

/** Consumes one binding queue into the mailboxes. */
export class QueueConsumer {
  #channel: ConfirmChannel | undefined;
  #tag: string | undefined;
  /** The message being handled and those queued behind it (one at a time, in order). */
  #tail: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(
    private readonly sql: Pool,
    private readonly binding: Binding,
    private readonly settings: ConsumerSettings,
  ) {}

  /** Starts consuming on a new connection (called on every connect). */
  async attach(model: ChannelModel): Promise<void> {
    if (this.#stopped) return;
    const channel = await model.createConfirmChannel();
    channel.on(
      "error",
      (e) =>
        log.warn("mq.consumer.channel_error", { queue: this.binding.queue, error: reasonOf(e) }),
    );
    await channel.prefetch(this.settings.prefetch);
    const { consumerTag } = await channel.consume(this.binding.queue, (message) => {
      if (message === null) {
        log.warn("mq.consumer.cancelled_by_broker", { queue: this.binding.queue });
        return;
      }
      this.#tail = this.#tail.then(() => this.#handle(channel, message));
    });
    this.#channel = channel;
    this.#tag = consumerTag;
  }

  /** Stops taking messages, lets the ones already received finish, closes the channel. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const channel = this.#channel;
    this.#channel = undefined;
    if (channel && this.#tag) await channel.cancel(this.#tag).catch(() => {});
    await this.#tail;
    await channel?.close().catch(() => {});
  }

  /** Handles one message under a CONSUMER span, then acks, retries or parks it. */
  async #handle(channel: ConfirmChannel, message: ConsumeMessage): Promise<void> {
    const queue = this.binding.queue;
    const hop = startHop(`process ${queue}`, SpanKind.CONSUMER, message.properties.headers ?? {}, {
      "messaging.system": "rabbitmq",
      "messaging.destination.name": queue,
      "messaging.message.id": String(message.properties.messageId ?? ""),
      "messaging.rabbitmq.message.delivery_tag": message.fields.deliveryTag,
    });
    await context.with(hop.context, async () => {
      const error = await this.#deliver(message, traceHeaders(hop.context).traceparent);
      try {
        if (error === undefined) channel.ack(message);
        else await this.#reject(channel, message, error);
      } catch (e) {
        // The channel closed meanwhile: the broker redelivers, and the inbox dedupes.
        log.warn("mq.consumer.settle_failed", { queue, error: reasonOf(e) });
      }
      endHop(hop.span, error);
    });
  }

  /** Delivers the message's event to its mailbox; resolves to the failure, if any. */
  async #deliver(message: ConsumeMessage, traceparent?: string): Promise<string | undefined> {
    try {
      const delivery = toDelivery(this.binding, eventOf(message), traceparent);
      await this.sql.begin((tx) => deliverToMailboxes(tx, [delivery]));
      return undefined;
    } catch (e) {
      return reasonOf(e);
    }
  }

  /** Sends a failed message round the retry queue, or parks it when out of retries. */
  async #reject(channel: ConfirmChannel, message: ConsumeMessage, reason: string) {
    const queue = this.binding.queue;
    const retries = rejections(message, queue);
    const fields = { queue, message_id: message.properties.messageId, retries, reason };
    if (retries < this.settings.maxRetries) {
      log.info("mq.message.retry", fields);
      channel.nack(message, false, false);
      return;
    }
    const { headers, messageId, type, contentType } = message.properties;
    await publishConfirmed(channel, "", parkedQueue(queue), Buffer.from(message.content), {
      persistent: true,
      messageId,
      type,
      contentType,
      headers: { ...headers, parked_reason: reason },
    });
    channel.ack(message);
    log.warn("mq.message.parked", fields);
  }
}
