/**
 * The broker sink of the outbox relay: publishes each event to `bss.events` (routing key =
 * event type, body = payload JSON, persistent, message_id = event id, the trace in the
 * headers) on a confirm channel, and reports an event delivered only once the broker has
 * confirmed it. While the connection is down the sink is not ready, so the rows wait in the
 * outbox, in order, and go out when it is back.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { SpanKind } from "@opentelemetry/api";
import type { ChannelModel, ConfirmChannel } from "amqplib";
import type { Sql } from "../../../kernel/db/types.ts";
import { log } from "../../../kernel/log.ts";
import { reasonOf } from "../reason.ts";
import type { OutboxSink } from "../relay.ts";
import { endHop, startHop, traceHeaders } from "../tracing.ts";
import type { OutboxEvent } from "../types.ts";
import { publishConfirmed } from "./confirm.ts";
import { EVENTS_EXCHANGE } from "./topology.ts";

/**
 * How long a batch may wait for its confirms (a broker under a memory alarm blocks
 * publishers without closing anything). Unconfirmed events then count as failed and are
 * published again later; consumers dedupe any copy that did arrive.
 */
const CONFIRM_TIMEOUT_MS = 15_000;

/** Publishes outbox batches to the broker. */
export class BrokerPublisher implements OutboxSink {
  #channel: ConfirmChannel | undefined;

  /** Opens this connection's publish channel (called on every connect). */
  async attach(model: ChannelModel): Promise<void> {
    const channel = await model.createConfirmChannel();
    channel.on("error", (e) => log.warn("mq.publish.channel_error", { error: reasonOf(e) }));
    channel.on("close", () => {
      if (this.#channel === channel) this.#channel = undefined;
    });
    this.#channel = channel;
  }

  /** Whether a publish channel is open. */
  ready(): boolean {
    return this.#channel !== undefined;
  }

  /** Publishes the batch in order and waits for every confirm. */
  async deliver(_tx: Sql, events: OutboxEvent[]): Promise<Map<number, string>> {
    const channel = this.#channel;
    if (!channel) throw new Error("broker connection is down");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<string>((resolve) => {
      timer = setTimeout(
        () => resolve(`not confirmed within ${CONFIRM_TIMEOUT_MS} ms`),
        CONFIRM_TIMEOUT_MS,
      );
    });
    try {
      const errors = await Promise.all(events.map((e) => this.#publish(channel, e, expired)));
      return new Map(
        events.flatMap((e, i) => errors[i] === undefined ? [] : [[e.outboxId, errors[i]]]),
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /** Publishes one event under a PRODUCER span; resolves to its error, if any. */
  async #publish(
    channel: ConfirmChannel,
    event: OutboxEvent,
    expired: Promise<string>,
  ): Promise<string | undefined> {
    const hop = startHop(`publish ${EVENTS_EXCHANGE}`, SpanKind.PRODUCER, {
      traceparent: event.traceparent,
    }, {
      "messaging.system": "rabbitmq",
      "messaging.destination.name": EVENTS_EXCHANGE,
      "messaging.rabbitmq.destination.routing_key": event.type,
      "messaging.message.id": event.eventId,
    });
    const confirmed = publishConfirmed(
      channel,
      EVENTS_EXCHANGE,
      event.type,
      Buffer.from(JSON.stringify(event.payload)),
      {
        persistent: true,
        messageId: event.eventId,
        // The routing key is lost when a retry comes back through the default exchange.
        type: event.type,
        contentType: "application/json",
        headers: traceHeaders(hop.context),
      },
    ).then(() => undefined, reasonOf);
    const error = await Promise.race([confirmed, expired]);
    endHop(hop.span, error);
    return error;
  }
}
