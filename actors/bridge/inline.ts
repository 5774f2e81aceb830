/**
 * Brokerless delivery at the source: the events a drain batch staged go into their
 * consumers' mailboxes in that batch's own transaction (`direct_sink.ts`, the same routing,
 * inbox and parking as the relay), instead of an outbox row a relay pass picks up after
 * commit. An event hop then costs no relay transaction and no extra wake-up; delivery stays
 * exactly once (it commits or rolls back with the turn that staged it). Should delivery fail,
 * the events fall back to the outbox and the relay delivers them as before. Events written
 * outside the actor runtime (HTTP handlers) still go through the outbox.
 *
 * @module
 */
import type { Sql } from "../../kernel/db/types.ts";
import { type StagedEvent, writeEvents } from "../../kernel/events.ts";
import { log } from "../../kernel/log.ts";
import { maskFreeText } from "../../kernel/pan.ts";
import type { EventSink } from "../runtime/types.ts";
import { directSink } from "./direct_sink.ts";
import { reasonOf } from "./reason.ts";
import type { Binding } from "./types.ts";

/** Writes and delivers a batch's events in its transaction, routed by `known` bindings. */
export function inlineDelivery(known: Binding[]): EventSink {
  const sink = directSink(known);
  return async (tx, events: StagedEvent[]) => {
    try {
      await tx.savepoint(async (sp) => {
        await writeEvents(sp, events, { delivered: true });
        await sink.deliver(
          sp,
          events.map((e, i) => ({
            outboxId: i,
            eventId: e.eventId,
            type: e.type,
            payload: maskFreeText(e.payload) as Record<string, unknown>,
            traceparent: e.traceparent ?? undefined,
          })),
        );
      });
    } catch (e) {
      log.warn("bus.inline_delivery.failed", { events: events.length, error: reasonOf(e) });
      await writeEvents(tx as Sql, events);
    }
  };
}
