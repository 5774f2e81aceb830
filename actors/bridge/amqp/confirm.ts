/**
 * A publish that counts only once the broker has it: on a confirm channel, resolved by the
 * broker's ack, rejected by its nack or by the channel closing first.
 *
 * @module
 */
import type { Buffer } from "node:buffer";
import type { ConfirmChannel, Options } from "amqplib";

/** Publishes one message and waits for the broker's confirm. */
export function publishConfirmed(
  channel: ConfirmChannel,
  exchange: string,
  routingKey: string,
  content: Buffer,
  options: Options.Publish,
): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      channel.publish(
        exchange,
        routingKey,
        content,
        options,
        (err) => err ? reject(err) : resolve(),
      );
    } catch (e) {
      // A closed channel throws at once instead of calling back.
      reject(e);
    }
  });
}
