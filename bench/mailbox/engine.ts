/**
 * What the mailbox bench needs from a queue under test (the bss runtime, graphile-worker):
 * a producer side in the bench process and a consumer side in each worker process.
 *
 * @module
 */
import type { RuntimeOptions } from "../../actors/runtime/types.ts";
import type { Probe } from "./probe.ts";

/** The payload of every bench message. */
export interface BenchMessage {
  /** The actor (bss key, graphile queue name) the message is for. */
  actor: string;
  /** Increasing per actor in send order. */
  seq: number;
  /** `wallMs()` when it was sent. */
  sentAt: number;
}

/** The producer side, in the bench process. */
export interface Queue {
  /** Empties the queue's storage so a phase starts clean. */
  reset(): Promise<void>;
  /** Enqueues messages in one bulk call. */
  enqueueBulk(messages: BenchMessage[]): Promise<void>;
  /** Sends one message the way an application sends one. */
  send(message: BenchMessage): Promise<void>;
  /**
   * Refreshes the planner statistics of the queue's tables after a bulk load, as autovacuum
   * would on a live system (without it the planner works from the reset's empty tables).
   */
  analyze(): Promise<void>;
  /** Messages not yet handled and committed. */
  pending(): Promise<number>;
  /** Removes the bench's data and releases the producer's connections. */
  close(): Promise<void>;
}

/** How a worker process consumes bss mailboxes. */
export interface BssConsumerSpec {
  engine: "bss";
  url: string;
  runtime: Partial<RuntimeOptions>;
}

/** How a worker process consumes graphile-worker jobs. */
export interface GraphileConsumerSpec {
  engine: "graphile";
  url: string;
  schema: string;
  concurrency: number;
  /** graphile's `localQueue.size` (with batched completion); 0 fetches job by job. */
  localQueue: number;
}

/** A consumer configuration, sent to worker processes as JSON. */
export type ConsumerSpec = BssConsumerSpec | GraphileConsumerSpec;

/** The consumer side, in a worker process: connected by `prepare`, draining after `start`. */
export interface Consumer {
  start(): Promise<void>;
  /** Stops taking work, lets in-flight work commit, releases connections. */
  stop(): Promise<void>;
}

/** Builds a worker process's consumer for a spec, reporting handled messages to `probe`. */
export type PrepareConsumer<S extends ConsumerSpec> = (spec: S, probe: Probe) => Promise<Consumer>;
