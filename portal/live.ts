/**
 * The portal's live feed: domain events for the pages that show them (line cards, the
 * activation stepper). One reader per process tails `audit.domain_event` — the durable log
 * every event is written to in the same transaction as its state change, with or without a
 * broker — only while someone is listening, and hands each event to the subscribers whose
 * keys (their own subscription and order ids) it concerns. It reads when the log's NOTIFY
 * (`bss_domain_event`, sent at commit) wakes it, and once a second besides in case a
 * notification was lost (a reconnect also wakes it). Event ids are the log's ids, so a
 * reconnecting browser's `Last-Event-ID` replays what it missed ({@link LiveFeed.since}).
 *
 * The tail re-reads a window behind its cursor: an id handed out by a transaction that
 * commits after a later one would otherwise be skipped.
 *
 * @module
 */
import type { Pool } from "../kernel/db/types.ts";
import { log } from "../kernel/log.ts";

/** One event as the feed hands it out. */
export interface LiveEvent {
  id: number;
  type: string;
  /** The ids it concerns: its aggregate, and the subscription or order it names. */
  keys: string[];
  payload: Record<string, unknown>;
}

/** The live feed of a process. */
export interface LiveFeed {
  /** Calls `onEvent` for each new event concerning one of `keys`; returns the unsubscribe. */
  subscribe(keys: ReadonlySet<string>, onEvent: (e: LiveEvent) => void): () => void;
  /** Events after `afterId` concerning `keys` (a reconnect's replay), oldest first. */
  since(keys: readonly string[], afterId: number): Promise<LiveEvent[]>;
  stop(): void;
}

const LOOK_BACK = 200;

interface Row {
  id: string;
  event_type: string;
  aggregate_id: string;
  payload: Record<string, unknown>;
}

function toEvent(r: Row): LiveEvent {
  const p = r.payload ?? {};
  const keys = [r.aggregate_id];
  for (const k of ["subscriptionId", "subscription_id", "orderId", "order_id"]) {
    if (typeof p[k] === "string") keys.push(p[k] as string);
  }
  return { id: Number(r.id), type: r.event_type, keys, payload: p };
}

/** The channel the event log's trigger notifies on each commit that wrote events. */
const CHANNEL = "bss_domain_event";

/** A feed over `sql`: woken by the log's NOTIFY, and every `fallbackMs` while anyone listens. */
export function liveFeed(sql: Pool, fallbackMs = 1000): LiveFeed {
  const subscribers = new Set<{ keys: ReadonlySet<string>; onEvent: (e: LiveEvent) => void }>();
  let cursor: number | undefined;
  const seen = new Set<number>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;
  let stopped = false;
  let listening: Promise<{ unlisten(): Promise<void> } | undefined> | undefined;

  async function read() {
    try {
      if (cursor === undefined) {
        const [{ max }] = await sql<{ max: string | null }[]>`
          select max(id) as max from audit.domain_event`;
        cursor = Number(max ?? 0);
      }
      const rows = await sql<Row[]>`
        select id, event_type, aggregate_id, payload from audit.domain_event
        where id > ${Math.max(cursor - LOOK_BACK, 0)} and id <> all(${[...seen]}::bigint[])
        order by id limit 1000`;
      for (const row of rows) {
        const event = toEvent(row);
        if (event.id <= cursor - LOOK_BACK || seen.has(event.id)) continue;
        if (event.id > cursor) cursor = event.id;
        seen.add(event.id);
        for (const s of subscribers) {
          if (event.keys.some((k) => s.keys.has(k))) s.onEvent(event);
        }
      }
      for (const id of seen) if (id <= cursor - LOOK_BACK) seen.delete(id);
    } catch (e) {
      log.warn("portal.live.read_failed", { error: String(e) });
    }
  }

  /** Reads now, or once more right after the read under way (a wake never waits a timer). */
  function wake() {
    if (stopped || subscribers.size === 0) return;
    if (running) {
      again = true;
      return;
    }
    if (timer) clearTimeout(timer);
    timer = undefined;
    running = true;
    read().finally(() => {
      running = false;
      if (again) {
        again = false;
        wake();
      } else schedule();
    });
  }

  function schedule() {
    if (!stopped && !timer && !running && subscribers.size > 0) {
      timer = setTimeout(wake, fallbackMs);
    }
  }

  function listen() {
    listening ??= sql.listen(CHANNEL, wake, wake).catch((e) => {
      log.warn("portal.live.listen_failed", { error: String(e) });
      listening = undefined;
      return undefined;
    });
  }

  return {
    subscribe(keys, onEvent) {
      const s = { keys, onEvent };
      subscribers.add(s);
      listen();
      schedule();
      return () => subscribers.delete(s);
    },
    async since(keys, afterId) {
      if (keys.length === 0) return [];
      const rows = await sql<Row[]>`
        select id, event_type, aggregate_id, payload from audit.domain_event
        where id > ${afterId} and (aggregate_id = any(${keys as string[]})
          or payload->>'subscriptionId' = any(${keys as string[]})
          or payload->>'orderId' = any(${keys as string[]}))
        order by id limit 500`;
      return rows.map(toEvent);
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      subscribers.clear();
      listening?.then((l) => l?.unlisten()).catch(() => {});
    },
  };
}
