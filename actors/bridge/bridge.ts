/**
 * The event bridge: the one entry point that moves staged domain events from `bus.outbox`
 * into the mailboxes of the actors bound to them.
 *
 * - With `BSS_RABBITMQ_URL`: the relay publishes to the topic exchange `bss.events` and the
 *   consumers turn messages from the binding queues into mailbox messages (inbox dedup,
 *   retry queue, parking). A process may relay, consume, or both.
 * - Without: the relay delivers each event straight into the mailboxes of every binding
 *   registered in `bus.binding` by any process, in its own transaction (the relay is the
 *   consumer; `consume` has nothing to do).
 *
 * @module
 */
import type { Config } from "../../kernel/config.ts";
import type { Pool } from "../../kernel/db/types.ts";
import type { EventSink } from "../runtime/types.ts";
import { openBroker } from "./amqp/broker.ts";
import { BrokerPublisher } from "./amqp/publisher.ts";
import { directSink } from "./direct_sink.ts";
import { inlineDelivery } from "./inline.ts";
import { OutboxRelay } from "./relay.ts";
import { registerBindings } from "./sql.ts";
import type { Binding, RelayPass } from "./types.ts";

/** What {@link startBridge} needs. */
export interface BridgeOptions {
  sql: Pool;
  config: Config;
  /** The event consumers of this process, registered in `bus.binding`; queues unique. */
  bindings: Binding[];
  /**
   * Every binding this code base has (default `bindings`): the brokerless relay delivers
   * to every registered binding, whichever process registered it, with this code.
   */
  known?: Binding[];
  /** Run the outbox relay in this process (default true). */
  relay?: boolean;
  /** Consume the binding queues in this process (broker path; default true). */
  consume?: boolean;
}

/** A running bridge. */
export interface Bridge {
  /**
   * Without a broker: delivers an actor batch's events in its own transaction (give it to
   * the `ActorSystem`); with one, undefined (events go through the outbox and the broker).
   */
  inline?: EventSink;
  /** Runs one relay pass now (after the one in progress, if any); tests use it. */
  relayOnce(): Promise<RelayPass>;
  /** Finishes the current relay batch and the in-flight messages, then stops. */
  stop(): Promise<void>;
}

/** Starts the bridge: the broker path when `BSS_RABBITMQ_URL` is set, else brokerless. */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const { sql, config, bindings, relay = true, consume = true } = options;
  const queues = bindings.map((b) => b.queue);
  const repeated = queues.find((q, i) => queues.indexOf(q) !== i);
  if (repeated) throw new Error(`bridge: queue "${repeated}" is bound twice`);
  const known = [
    ...bindings,
    ...(options.known ?? []).filter((b) => !queues.includes(b.queue)),
  ];
  await registerBindings(sql, bindings);

  const url = config.BSS_RABBITMQ_URL;
  const publisher = url && relay ? new BrokerPublisher() : undefined;
  const broker = url
    ? await openBroker({ url, sql, config, bindings, publisher, consume })
    : undefined;
  const outbox = relay
    ? new OutboxRelay(sql, publisher ?? directSink(known), {
      intervalMs: config.BSS_OUTBOX_RELAY_INTERVAL_MS,
      batchSize: config.BSS_OUTBOX_RELAY_BATCH_SIZE,
    })
    : undefined;
  await outbox?.start();

  return {
    inline: url ? undefined : inlineDelivery(known),
    relayOnce: () => outbox ? outbox.runOnce() : Promise.reject(new Error("relay is off")),
    async stop() {
      await outbox?.stop();
      await broker?.close();
    },
  };
}
