/**
 * Brokerless delivery at the source: the events a drain batch staged go into their
 * consumers' mailboxes in that batch's own transaction (the same routing, inbox and parking
 * as the relay's `direct_sink.ts`), instead of an outbox row a relay pass picks up after
 * commit. An event hop then costs no relay transaction and no extra wake-up; delivery stays
 * exactly once (it commits or rolls back with the turn that staged it).
 *
 * It costs no round trip of its own either: the registered bindings are read with the
 * batch's lock, and the audit rows, inbox claims and messages go out with the batch's other
 * writes and its COMMIT. Should delivery itself fail, the batch fails (its messages are tried
 * again) and, for a while, events go to the outbox and the relay delivers them as before.
 * Events written outside the actor runtime (HTTP handlers) always go through the outbox.
 *
 * Routing and writing are two steps, so that the batch may run some deliveries' turns in its
 * own transaction in between (`Worker.#cascade`): those are claimed in the inbox, not enqueued.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import { type StagedEvent, writeEvents } from "../../kernel/events.ts";
import { log } from "../../kernel/log.ts";
import { maskFreeText } from "../../kernel/pan.ts";
import { enqueueMany } from "../runtime/sql.ts";
import type { EventSink, RoutedEvents } from "../runtime/types.ts";
import { endRouted, routeEvents } from "./direct_sink.ts";
import { mailboxMessage } from "./mailbox_delivery.ts";
import { reasonOf } from "./reason.ts";
import { claimInbox, parkEvents, registeredBindingsValue } from "./sql.ts";
import type { Binding } from "./types.ts";

/** How long events go to the outbox after inline delivery failed. */
const OUTBOX_AFTER_FAILURE_MS = 60_000;

/** Postgres' "current transaction is aborted": a statement before this one failed. */
const ABORTED = "25P02";

type Registered = { queue: string; pattern: string }[];

/** A batch's events, routed (or bound for the outbox while inline delivery is off). */
interface Routed extends RoutedEvents {
  events: StagedEvent[];
  /** Null: the events go to the outbox. */
  routed: ReturnType<typeof routeEvents> | null;
}

/** Writes and delivers a batch's events in its transaction, routed by `known` bindings. */
export function inlineDelivery(known: Binding[]): EventSink<Registered, Routed> {
  const byQueue = new Map(known.map((b) => [b.queue, b]));
  let outboxUntil = 0;
  return {
    prepare: (tx: Sql) => registeredBindingsValue(tx),
    route(events, registered) {
      if (Date.now() < outboxUntil) return { events, routed: null, messages: [] };
      const routed = routeEvents(
        byQueue,
        registered,
        events.map((e) => ({
          eventId: e.eventId,
          type: e.type,
          payload: maskFreeText(e.payload) as Record<string, unknown>,
          traceparent: e.traceparent ?? undefined,
        })),
      );
      return { events, routed, messages: routed.deliveries.map(mailboxMessage) };
    },
    write(tx, { events, routed, messages }, ranHere, origin) {
      if (!routed) return { done: writeEvents(tx, events), sent: [] };
      const sent = messages.filter((_, i) => !ranHere.has(i));
      // Fresh events: every inbox claim is new, so the enqueue need not wait for the claims.
      const writes: PromiseLike<unknown>[] = [
        writeEvents(tx, events, { delivered: true }),
        parkEvents(tx, routed.parked),
      ];
      if (messages.length) {
        writes.push(
          claimInbox(tx, routed.deliveries.map((d) => ({ eventId: d.eventId, consumer: d.queue }))),
        );
      }
      if (sent.length) writes.push(enqueueMany(tx, sent, origin));
      const done = Promise.all(writes).then(
        () => endRouted(routed),
        (e) => {
          endRouted(routed, e);
          if ((e as { code?: string }).code !== ABORTED) {
            outboxUntil = Date.now() + OUTBOX_AFTER_FAILURE_MS;
            log.warn("bus.inline_delivery.failed", { events: events.length, error: reasonOf(e) });
          }
          throw e;
        },
      );
      return { done, sent };
    },
  };
}
