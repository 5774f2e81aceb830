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
import { endHop, startHop, traceHeaders } from "./tracing.ts";
import type { Binding, OutboxEvent } from "./types.ts";

/** A sink that routes events to the registered bindings in Postgres, without a broker. */
export function directSink(known: Binding[]): OutboxSink {
  const byQueue = new Map(known.map((b) => [b.queue, b]));
  const unknown = (queue: string, pattern: string): Binding => ({
    queue,
    pattern,
    to: () => {
      throw new Error(`no process of this relay knows the binding "${queue}"`);
    },
  });
  return {
    ready: () => true,
    async deliver(tx: Sql, events: OutboxEvent[]) {
      const bindings = (await registeredBindings(tx)).map((r) =>
        byQueue.get(r.queue) ?? unknown(r.queue, r.pattern)
      );
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
      try {
        await parkEvents(tx, parked);
        await deliverToMailboxes(tx, deliveries);
      } catch (e) {
        for (const hop of hops) endHop(hop.span, reasonOf(e));
        throw e;
      }
      for (const hop of hops) endHop(hop.span);
      for (const p of parked) {
        log.warn("bus.event.parked", {
          event_id: p.event.eventId,
          event_type: p.event.type,
          queue: p.queue,
          reason: p.reason,
        });
      }
      return new Map();
    },
  };
}
