/**
 * The portal's live feed: domain events for the pages that show them (line cards, the
 * activation stepper), handed to the subscribers whose keys (their own subscription and
 * order ids) each event concerns. Where events come from:
 *
 * - With a broker (`BSS_RABBITMQ_URL`): the process's own queue on `bss.events`
 *   (`live_broker.ts`). Each message's event is read from its log row, by event id.
 * - Without one, or while the broker is down (a warn log says so): one reader per process
 *   tails `audit.domain_event` — the durable log every event is written to in the same
 *   transaction as its state change — only while someone is listening. It reads when the
 *   log's NOTIFY (`bss_domain_event`, sent at commit) wakes it, and once a second besides in
 *   case a notification was lost. When the broker is back, one more read of the log covers
 *   what went out before the queue was bound.
 *
 * Event ids are the log's ids in both modes, so a reconnecting browser's `Last-Event-ID`
 * replays what it missed from the log ({@link LiveFeed.since}). Both sources hand events
 * through one gate that drops ids already handed out, and keeps a window behind its cursor
 * open: an id handed out by a transaction that commits after a later one would otherwise be
 * skipped.
 *
 * @module
 */
import type { Pool } from "../kernel/db/types.ts";
import { log } from "../kernel/log.ts";
import { brokerSource } from "./live_broker.ts";

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

/** Where the feed reads from, and how often the log tail reads when no NOTIFY comes. */
export interface LiveOptions {
  brokerUrl?: string;
  fallbackMs?: number;
}

/** A feed over `sql`, fed by the broker when there is one and up, by the log's tail otherwise. */
export function liveFeed(sql: Pool, { brokerUrl, fallbackMs = 1000 }: LiveOptions = {}): LiveFeed {
  const subscribers = new Set<{ keys: ReadonlySet<string>; onEvent: (e: LiveEvent) => void }>();
  let cursor: number | undefined;
  const seen = new Set<number>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;
  let stopped = false;
  let fromBroker = false;
  let listening: Promise<{ unlisten(): Promise<void> } | undefined> | undefined;

  /** Hands out each event not handed out before and not behind the window, in id order. */
  function dispatch(rows: Row[]) {
    for (const row of rows) {
      const event = toEvent(row);
      if (cursor !== undefined && event.id <= cursor - LOOK_BACK || seen.has(event.id)) continue;
      if (cursor === undefined || event.id > cursor) cursor = event.id;
      seen.add(event.id);
      for (const s of subscribers) {
        if (event.keys.some((k) => s.keys.has(k))) s.onEvent(event);
      }
    }
    if (cursor !== undefined) {
      for (const id of seen) {
        if (id <= cursor - LOOK_BACK) seen.delete(id);
      }
    }
  }

  async function read() {
    try {
      if (cursor === undefined) {
        const [{ max }] = await sql<{ max: string | null }[]>`
          select max(id) as max from audit.domain_event`;
        cursor ??= Number(max ?? 0);
      }
      dispatch(
        await sql<Row[]>`
          select id, event_type, aggregate_id, payload from audit.domain_event
          where id > ${Math.max(cursor - LOOK_BACK, 0)} and id <> all(${[...seen]}::bigint[])
          order by id limit 1000`,
      );
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

  /** The tail's next read, unless the broker feeds the subscribers. */
  function schedule() {
    if (!stopped && !fromBroker && !timer && !running && subscribers.size > 0) {
      timer = setTimeout(wake, fallbackMs);
    }
  }

  function listen() {
    listening ??= sql.listen(CHANNEL, () => fromBroker || wake(), wake).catch((e) => {
      log.warn("portal.live.listen_failed", { error: String(e) });
      listening = undefined;
      return undefined;
    });
  }

  /** Event ids from the broker, read from the log a batch at a time. */
  let pending: string[] = [];
  let lookup: Promise<void> | undefined;
  function received(eventId: string) {
    if (subscribers.size === 0) return;
    pending.push(eventId);
    lookup ??= (async () => {
      while (pending.length > 0) {
        const ids = pending;
        pending = [];
        try {
          dispatch(
            await sql<Row[]>`
              select id, event_type, aggregate_id, payload from audit.domain_event
              where event_id = any(${ids}::uuid[]) order by id`,
          );
        } catch (e) {
          log.warn("portal.live.read_failed", { error: String(e) });
        }
      }
      lookup = undefined;
    })();
  }

  const broker = brokerUrl
    ? brokerSource(brokerUrl, {
      onEvent: received,
      onUp() {
        log.info("portal.live.source", { source: "broker" });
        fromBroker = true;
        if (timer) clearTimeout(timer);
        timer = undefined;
        wake(); // what was published before the queue was bound
      },
      onDown(reason) {
        if (!fromBroker) return;
        fromBroker = false;
        log.warn("portal.live.broker_down", { source: "log", error: reason });
        wake();
      },
    }).catch((e) => {
      log.warn("portal.live.broker_down", { source: "log", error: String(e) });
      return undefined;
    })
    : undefined;

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
      broker?.then((b) => b?.close()).catch(() => {});
    },
  };
}
