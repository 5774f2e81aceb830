/**
 * Text renderings of the inspection results (actors/runtime/inspect.ts).
 *
 * @module
 */
import type {
  ActorSummary,
  DeadLetter,
  HistoryEntry,
  KindSummary,
  MailboxCounts,
  MessageStatus,
  PendingMessage,
} from "../../actors/runtime/inspect.ts";
import { type Cell, clip, type Column, count, duration, table, timestamp } from "./format.ts";
import type { Output, Style } from "./output.ts";

const STATUS: Record<MessageStatus, Style> = {
  ready: "green",
  backoff: "yellow",
  blocked: "yellow",
  timer: "cyan",
};

const OUTCOME: Record<HistoryEntry["outcome"], Style> = {
  ok: "green",
  rejected: "yellow",
  retry: "yellow",
  dead: "red",
  requeued: "cyan",
  discarded: "dim",
};

const right = (header: string): Column => ({ header, align: "right" });
const COUNT_COLUMNS = ["DEPTH", "READY", "TIMERS", "BACKOFF", "BLOCKED", "DEAD"].map(right);
const counts = (c: MailboxCounts): Cell[] => [
  count(c.depth),
  count(c.ready),
  count(c.timers),
  count(c.backoff, "yellow"),
  count(c.blocked, "yellow"),
  count(c.deadLetters, "red"),
];

/** Per-kind depth and lag. */
export function kindTable(out: Output, kinds: KindSummary[]): string {
  return table(
    out,
    [{ header: "KIND" }, right("ACTORS"), ...COUNT_COLUMNS, right("LAG")],
    kinds.map((k) => [k.kind, String(k.actors), ...counts(k), duration(k.lagMs)]),
  );
}

/** Actors of one kind. */
export function actorTable(out: Output, actors: ActorSummary[]): string {
  return table(
    out,
    [{ header: "KEY" }, ...COUNT_COLUMNS, right("OLDEST"), { header: "NEXT TIMER" }, {
      header: "IN FLIGHT",
    }],
    actors.map((a) => [
      a.key,
      ...counts(a),
      duration(a.oldestMs),
      timestamp(a.nextTimer),
      a.inFlight ? { text: "yes", style: "cyan" } : { text: "no", style: "dim" },
    ]),
  );
}

/** Mailbox messages (pending or timers). */
export function messageTable(out: Output, messages: PendingMessage[]): string {
  return table(
    out,
    [
      right("ID"),
      { header: "TYPE" },
      { header: "STATUS" },
      { header: "ENQUEUED" },
      { header: "DELIVER AT" },
      right("ATTEMPTS"),
      { header: "RUN AFTER" },
      { header: "LAST ERROR" },
    ],
    messages.map((m) => [
      String(m.id),
      m.type,
      { text: m.status, style: STATUS[m.status] },
      timestamp(m.enqueuedAt),
      timestamp(m.deliverAt),
      count(m.attempts, "yellow"),
      m.attempts ? timestamp(m.runAfter) : "-",
      { text: clip(m.lastError), style: "red" },
    ]),
  );
}

/** History rows, as given (newest first in `show`). */
export function historyTable(out: Output, history: HistoryEntry[]): string {
  return table(
    out,
    [
      right("ID"),
      right("MESSAGE"),
      { header: "TYPE" },
      { header: "OUTCOME" },
      {
        header: "HANDLED",
      },
      right("WAITED"),
      { header: "DETAIL" },
    ],
    history.map((h) => [
      String(h.id),
      String(h.messageId),
      h.type,
      { text: h.outcome, style: OUTCOME[h.outcome] },
      timestamp(h.handledAt),
      duration(h.handledAt.getTime() - h.enqueuedAt.getTime()),
      clip(h.detail),
    ]),
  );
}

/** Dead letters. */
export function deadLetterTable(out: Output, dead: DeadLetter[]): string {
  return table(
    out,
    [right("ID"), { header: "ACTOR" }, { header: "TYPE" }, right("ATTEMPTS"), { header: "DIED" }, {
      header: "LAST ERROR",
    }],
    dead.map((d) => [
      String(d.id),
      `${d.kind}/${d.key}`,
      d.type,
      String(d.attempts),
      timestamp(d.diedAt),
      { text: clip(d.lastError), style: "red" },
    ]),
  );
}

/** One line of `tail`: time, outcome, actor, message, wait since enqueue, detail. */
export function historyLine(out: Output, h: HistoryEntry): string {
  const time = h.handledAt.toISOString().slice(11, 23);
  const waited = duration(h.handledAt.getTime() - h.enqueuedAt.getTime());
  const detail = h.detail ? `  ${clip(h.detail, 100)}` : "";
  return `${out.paint(time, "dim")}  ${out.paint(h.outcome.padEnd(9), OUTCOME[h.outcome])}  ` +
    `${h.kind}/${h.key}  #${h.messageId} ${h.type}  ${out.paint(`+${waited}`, "dim")}${detail}`;
}
