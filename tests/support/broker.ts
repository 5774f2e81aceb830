/**
 * RabbitMQ for tests: the broker of `BSS_RABBITMQ_URL` (tests that need it are ignored when
 * it is unset), a throwaway channel, reading a parking queue, deleting a test's queues,
 * stopping/starting the broker application with `rabbitmqctl`, and a lease that keeps tests
 * which stop the broker apart from those which merely use it (`deno test --parallel` runs
 * test files in separate processes at once).
 *
 * @module
 */
import amqp, { type Channel } from "amqplib";
import { parkedQueue, retryQueue } from "../../actors/bridge/amqp/topology.ts";
import { processEnv } from "../../kernel/config.ts";
import { pool } from "../../kernel/db/connect.ts";
import { ADMIN_URL } from "./db.ts";

/** The test broker, or undefined when broker tests are to be skipped. */
export const BROKER_URL: string | undefined = processEnv().BSS_RABBITMQ_URL || undefined;

/** Runs `fn` with a channel on a connection of its own. */
export async function withChannel<T>(fn: (channel: Channel) => Promise<T>): Promise<T> {
  if (!BROKER_URL) throw new Error("BSS_RABBITMQ_URL is not set");
  const connection = await amqp.connect(BROKER_URL);
  try {
    const channel = await connection.createChannel();
    channel.on("error", () => {});
    return await fn(channel);
  } finally {
    await connection.close().catch(() => {});
  }
}

/** A message taken from a parking queue. */
export interface ParkedMessage {
  eventId: string;
  reason: string;
}

/** Takes every message parked for binding queue `queue`. */
export function takeParked(queue: string): Promise<ParkedMessage[]> {
  return withChannel(async (channel) => {
    const parked: ParkedMessage[] = [];
    for (;;) {
      const m = await channel.get(parkedQueue(queue), { noAck: true });
      if (!m) return parked;
      parked.push({
        eventId: m.properties.messageId,
        reason: String(m.properties.headers?.parked_reason ?? ""),
      });
    }
  });
}

/** Deletes binding queues with their retry and parking queues. */
export function deleteQueues(queues: string[]): Promise<void> {
  return withChannel(async (channel) => {
    for (const q of queues) {
      for (const name of [q, retryQueue(q), parkedQueue(q)]) await channel.deleteQueue(name);
    }
  });
}

/** Runs `rabbitmqctl <args>` (e.g. `stop_app`, `start_app`); throws when it fails. */
export async function rabbitmqctl(...args: string[]): Promise<void> {
  const { success, stderr } = await new Deno.Command("rabbitmqctl", { args, stdout: "null" })
    .output();
  if (!success) {
    throw new Error(`rabbitmqctl ${args.join(" ")}: ${new TextDecoder().decode(stderr)}`);
  }
}

/** Advisory lock key on the test server that serialises broker outages against broker use. */
const BROKER_LOCK = 7_311_002;

/**
 * Holds the broker until the returned release is called: shared for tests that use it,
 * exclusive for a test that stops it. Taken on the test Postgres server, across processes.
 */
export async function leaseBroker(mode: "shared" | "exclusive"): Promise<() => Promise<void>> {
  const session = pool(ADMIN_URL, 1);
  if (mode === "shared") await session`select pg_advisory_lock_shared(${BROKER_LOCK})`;
  else await session`select pg_advisory_lock(${BROKER_LOCK})`;
  return () => session.end(); // the lock goes with the session
}
