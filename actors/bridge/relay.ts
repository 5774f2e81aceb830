/**
 * The outbox relay: drains `bus.outbox` in id order, a batch per transaction, and hands each
 * batch to a sink (the broker, or the mailboxes directly). Delivered rows are deleted and
 * their audit rows flagged in the same transaction; failed rows stay, with their attempt
 * count and error, for the next pass. Nothing is lost: at worst an event is delivered twice
 * (delivered, then the commit failed), and the inbox absorbs the duplicate.
 *
 * Passes run every `BSS_OUTBOX_RELAY_INTERVAL_MS`, at once when a write wakes the relay
 * (NOTIFY bss_outbox), and back to back while a backlog drains. Rows are locked FOR UPDATE
 * SKIP LOCKED, so relays in several processes share the work.
 *
 * @module
 */
import type { Pool, Sql } from "../../kernel/db/types.ts";
import { log } from "../../kernel/log.ts";
import { Signal } from "../runtime/signal.ts";
import { reasonOf } from "./reason.ts";
import { lockOutboxBatch, markDelivered, markFailed } from "./sql.ts";
import type { OutboxEvent, RelayPass } from "./types.ts";

/** Where the relay hands its batches. */
export interface OutboxSink {
  /** False while the sink cannot take events (broker down): passes leave the rows alone. */
  ready(): boolean;
  /**
   * Delivers a batch inside the relay's transaction (in a savepoint). Returns the errors of
   * the events it could not deliver, by outbox id; a throw fails the whole batch.
   */
  deliver(tx: Sql, events: OutboxEvent[]): Promise<Map<number, string>>;
}

/** Relay tuning (`BSS_OUTBOX_RELAY_INTERVAL_MS`, `BSS_OUTBOX_RELAY_BATCH_SIZE`). */
export interface RelaySettings {
  intervalMs: number;
  batchSize: number;
}

const IDLE: RelayPass = { delivered: 0, failed: 0, full: false };

/** Drains the outbox into a sink until stopped. */
export class OutboxRelay {
  #signal = new Signal();
  #stopping = false;
  #loop: Promise<void> | undefined;
  #unlisten: (() => Promise<void>) | undefined;
  /** The pass in progress: passes never overlap within one relay. */
  #current: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly sql: Pool,
    private readonly sink: OutboxSink,
    private readonly settings: RelaySettings,
  ) {}

  /** Listens for outbox writes and starts the pass loop. */
  async start(): Promise<void> {
    const wake = () => this.#signal.notify();
    const listener = await this.sql.listen("bss_outbox", wake, wake);
    this.#unlisten = () => listener.unlisten();
    this.#loop = this.#run();
  }

  /** Runs one pass, after the one in progress if any, and reports what it did. */
  runOnce(): Promise<RelayPass> {
    const pass = this.#current.then(() => this.#pass());
    this.#current = pass.catch(() => {});
    return pass;
  }

  /** Lets the current pass commit, then stops. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#signal.notify();
    await this.#loop;
    await this.#unlisten?.().catch(() => {});
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      let progressed = false;
      try {
        const pass = await this.runOnce();
        progressed = pass.full && pass.delivered > 0;
      } catch (e) {
        log.error("outbox.relay.pass_failed", { error: reasonOf(e) });
      }
      if (!progressed && !this.#stopping) await this.#signal.wait(this.settings.intervalMs);
    }
  }

  async #pass(): Promise<RelayPass> {
    if (!this.sink.ready()) return IDLE;
    return await this.sql.begin(async (tx) => {
      const events = await lockOutboxBatch(tx, this.settings.batchSize);
      if (events.length === 0) return IDLE;
      let failures: Map<number, string>;
      try {
        failures = await tx.savepoint((sp) => this.sink.deliver(sp, events));
      } catch (e) {
        const reason = reasonOf(e);
        failures = new Map(events.map((ev) => [ev.outboxId, reason]));
      }
      const delivered = events.filter((ev) => !failures.has(ev.outboxId));
      await markDelivered(tx, delivered.map((ev) => ev.outboxId));
      await markFailed(tx, failures);
      if (failures.size) {
        log.warn("outbox.relay.delivery_failed", {
          failed: failures.size,
          error: failures.values().next().value,
        });
      }
      return {
        delivered: delivered.length,
        failed: failures.size,
        full: events.length === this.settings.batchSize,
      };
    });
  }
}
