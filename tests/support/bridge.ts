/**
 * Test helpers for the event bridge: a configuration with fast retries, event names private
 * to one run (the broker's `bss.events` exchange is shared by every test run), bindings into
 * the `counter` kind, and polling.
 *
 * @module
 */
import type { Binding, BusEvent } from "../../actors/bridge/types.ts";
import { type Config, loadConfig } from "../../kernel/config.ts";
import type { Sql } from "../../kernel/db/types.ts";

/**
 * A configuration for bridge tests: relay every 50 ms, two retries 50 ms apart, plus `env`
 * (e.g. `BSS_RABBITMQ_URL` for the broker path).
 */
export function bridgeConfig(env: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    BSS_API_TOKEN: "bridge-test-token-0123456789abcdefghij",
    BSS_OUTBOX_RELAY_INTERVAL_MS: "50",
    BSS_MQ_RETRY_BACKOFF_MS: "50",
    BSS_MQ_MAX_RETRIES: "2",
    ...env,
  });
}

/** A prefix for the event types and queue names of one test run, e.g. `bt1f3a9c0d`. */
export function runPrefix(): string {
  return `bt${crypto.randomUUID().slice(0, 8)}`;
}

/** A binding that sends each matching event as `add` (seq = `payload.seq`) to one counter. */
export function counterBinding(
  queue: string,
  pattern: string,
  key: (event: BusEvent) => string,
): Binding {
  return {
    queue,
    pattern,
    to: (event) => ({
      kind: "counter",
      key: key(event),
      message: { type: "add", seq: event.payload.seq },
    }),
  };
}

/** The `seq`s the counter `key` has handled, in the order it handled them. */
export async function handledSeqs(sql: Sql, key: string): Promise<number[]> {
  const rows = await sql<{ seq: number }[]>`
    select seq from test_counter.log where key = ${key} order by id`;
  return rows.map((r) => r.seq);
}

/** 1, 2, … n. */
export function seqs(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** Polls `check` every 20 ms until it holds; fails after `ms`. */
export async function waitFor(check: () => Promise<boolean>, what: string, ms = 20_000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
