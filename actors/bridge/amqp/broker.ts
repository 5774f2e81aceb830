/**
 * The broker side of a bridge: one self-healing connection on which every (re)connect
 * declares the topology, starts the consumers and opens the publish channel, in that order,
 * so nothing is published before the queues that must receive it exist.
 *
 * @module
 */
import type { Config } from "../../../kernel/config.ts";
import type { Pool } from "../../../kernel/db/types.ts";
import type { Binding } from "../types.ts";
import { connectBroker } from "./connection.ts";
import { QueueConsumer } from "./consumer.ts";
import type { BrokerPublisher } from "./publisher.ts";
import { declareTopology } from "./topology.ts";

/** What {@link openBroker} needs. */
export interface BrokerOptions {
  url: string;
  sql: Pool;
  config: Config;
  bindings: Binding[];
  /** The relay's sink, when this process relays. */
  publisher?: BrokerPublisher;
  /** Consume the binding queues. */
  consume: boolean;
}

/** An open broker link. */
export interface BrokerLink {
  /** Lets in-flight messages finish, then disconnects for good. */
  close(): Promise<void>;
}

/** Connects to the broker (in the background: a broker that is down is retried). */
export async function openBroker(options: BrokerOptions): Promise<BrokerLink> {
  const { sql, config, bindings, publisher } = options;
  const settings = { prefetch: config.BSS_MQ_PREFETCH, maxRetries: config.BSS_MQ_MAX_RETRIES };
  const consumers = options.consume
    ? bindings.map((binding) => new QueueConsumer(sql, binding, settings))
    : [];
  const connection = await connectBroker(options.url, async (model) => {
    await declareTopology(model, bindings, config.BSS_MQ_RETRY_BACKOFF_MS);
    for (const consumer of consumers) await consumer.attach(model);
    await publisher?.attach(model);
  });
  return {
    async close() {
      await Promise.all(consumers.map((c) => c.stop()));
      await connection.close();
    },
  };
}
