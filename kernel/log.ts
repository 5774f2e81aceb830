/**
 * Structured JSON logs, one object per line on stderr, stamped with the current trace id and
 * caller. Values under secret-looking keys and anything shaped like a card number are redacted
 * before a line is written.
 *
 * @module
 */
import { trace } from "@opentelemetry/api";
import { currentCaller } from "./context.ts";

type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
let threshold: Level = "info";
let sink: (line: string) => void = (line) => console.error(line);

const SECRET_KEY = /token|secret|password|authorization|api[-_]?key|card_?number|pan|cvc|cvv/i;
const CARD_LIKE = /\b(?:\d[ -]?){13,19}\b/g;

/** Masks secrets and card-number-like digit runs in any value about to be logged. */
export function redact(value: unknown, key = ""): unknown {
  if (SECRET_KEY.test(key)) return "[redacted]";
  if (typeof value === "string") return value.replace(CARD_LIKE, "[redacted]");
  if (Array.isArray(value)) return value.map((v) => redact(v));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]));
  }
  return value;
}

function write(level: Level, msg: string, fields: Record<string, unknown> = {}) {
  if (order[level] < order[threshold]) return;
  const caller = currentCaller();
  const span = trace.getActiveSpan()?.spanContext();
  sink(JSON.stringify(redact({
    ts: new Date().toISOString(),
    level,
    msg,
    trace_id: span?.traceId,
    actor: caller.actor,
    channel: caller.channel,
    service_identity: caller.serviceIdentity,
    ...fields,
  })));
}

/** The process logger. */
export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write("debug", msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write("info", msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write("warn", msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write("error", msg, fields),
};

/** Sets the minimum level and, optionally, where lines go (tests capture them). */
export function configureLog(level: Level, to?: (line: string) => void): void {
  threshold = level;
  if (to) sink = to;
}
