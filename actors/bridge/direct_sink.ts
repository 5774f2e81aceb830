/**
 * The brokerless path (no `BSS_RABBITMQ_URL`): the relay delivers each event straight into
 * the mailboxes of the bindings that match it, in the relay's own transaction, so delivery
 * and the outbox row's removal commit together. A binding whose `to` throws parks the event
 * in `bus.parked` for that binding; the other bindings still get it.
 *
 * The bindings are those registered in `bus.binding` by any process, not only this
 * process's: an event reaches every consumer whichever relay takes it. This process turns an
 * event into a message with the binding's code from `known` (every binding of the code
 * base); a registered queue it has no code for (a newer version's, say) parks the event for
 * that queue, so it is kept, never silently skipped.
 *
 * @module
 */
import { SpanKind } from "@opentelemetry/api";
import type { Sql } from "../../kernel/db/types.ts";
import { log } from "../../kernel/log.ts";
import { deliverToMailboxes, type Delivery, toDelivery } from "./mailbox_delivery.ts";
import { reasonOf } from "./reason.ts";
import type { OutboxSink } from "./relay.ts";
import { type ParkedEvent, parkEvents, registeredBindings } from "./sql.ts";
import { topicMatches } from "./topic.ts";
import { endHop, type HopSpan, startHop, traceHeaders } from "./tracing.ts";
import type { Binding, BusEvent, OutboxEvent } from "./types.ts";

/** Events routed to their bindings: mailbox deliveries, parked events, one hop span each. */
export interface Routed {
  deliveries: Delivery[];
  parked: ParkedEvent[];
  hops: HopSpan[];
}

/**
 * Routes `events` to the `registered` bindings with the code of `known` (a registered queue
 * without code here parks the event for that queue), starting one hop span per event.
 */
export function routeEvents(
  known: Map<string, Binding>,
  registered: { queue: string; pattern: string }[],
  events: BusEvent[],
): Routed {
  const bindings = registered.map((r) => known.get(r.queue) ?? unknown(r.queue, r.pattern));
  const deliveries: Delivery[] = [];
  const parked: ParkedEvent[] = [];
  const hops = events.map((event) => {
    const bound = bindings.filter((b) => topicMatches(b.pattern, event.type));
    const hop = startHop(`deliver ${event.type}`, SpanKind.PRODUCER, {
      traceparent: event.traceparent,
    }, {
      "messaging.message.id": event.eventId,
      "bss.bridge.queues": bound.map((b) => b.queue),
    });
    const { traceparent } = traceHeaders(hop.context);
    for (const binding of bound) {
      try {
        deliveries.push(toDelivery(binding, event, traceparent));
      } catch (e) {
        parked.push({ event, queue: binding.queue, reason: reasonOf(e) });
      }
    }
    return hop;
  });
  return { deliveries, parked, hops };
}

/** Ends the hop spans of `routed` (with `error` if delivery failed) and logs what parked. */
export function endRouted(routed: Routed, error?: unknown): void {
  for (const hop of routed.hops) {
    endHop(hop.span, error === undefined ? undefined : reasonOf(error));
  }
  if (error !== undefined) return;
  for (const p of routed.parked) {
    log.warn("bus.event.parked", {
      event_id: p.event.eventId,
      event_type: p.event.type,
      queue: p.queue,
      reason: p.reason,
    });
  }
}

function unknown(queue: string, pattern: string): Binding {
  return {
    queue,
    pattern,
    to: () => {
      throw new Error(`no process of this relay knows the binding "${queue}"`);
    },
  };
}

/** A sink that routes events to the registered bindings in Postgres, without a broker. */
export function directSink(known: Binding[]): OutboxSink {
  const byQueue = new Map(known.map((b) => [b.queue, b]));
  return {
    ready: () => true,
    async deliver(tx: Sql, events: OutboxEvent[]) {
      const routed = routeEvents(byQueue, await registeredBindings(tx), events);
      try {
        await parkEvents(tx, routed.parked);
        await deliverToMailboxes(tx, routed.deliveries);
      } catch (e) {
        endRouted(routed, e);
        throw e;
      }
      endRouted(routed);
      return new Map();
    },
  };
}
