/**
 * The bridge's broker connection. amqplib's recovery reconnects with exponential backoff
 * (0.2 s doubling to 5 s, forever) after the connection drops or fails to open, and runs
 * `setup` on each new connection, before it is used. Channels do not survive a connection,
 * so `setup` rebuilds everything that lives on one (topology, consumers, publish channel).
 * The first attempt is not awaited: a broker that is down at start-up is retried like one
 * that went down later, and the outbox holds the events meanwhile.
 *
 * @module
 */
import amqp, { type ChannelModel, type RecoveringChannelModel } from "amqplib";
import { log } from "../../../kernel/log.ts";
import { reasonOf } from "../reason.ts";

/** Opens a self-healing connection that runs `setup` on every (re)connect. */
export async function connectBroker(
  url: string,
  setup: (model: ChannelModel) => Promise<void>,
): Promise<RecoveringChannelModel> {
  const connection = await amqp.connect(url, {
    recovery: { initialDelay: 200, maxDelay: 5_000, waitForConnect: false, setup },
  });
  const server = new URL(url).host;
  connection.on("connect", () => log.info("mq.connected", { server }));
  connection.on("disconnect", (e) => log.warn("mq.disconnected", { server, error: reasonOf(e) }));
  connection.on(
    "connect-failed",
    (e) => log.warn("mq.connect_failed", { server, error: reasonOf(e) }),
  );
  // Without a listener an 'error' event would throw; the close that follows it reconnects.
  connection.on("error", (e) => log.warn("mq.connection_error", { server, error: reasonOf(e) }));
  return connection;
}
