/**
 * Losing the database is an outage, not a bug. This file names the errors that mean "the
 * server went away or is not taking connections" (so HTTP answers 503 and loops back off), and
 * keeps the driver from killing the process: postgres.js rejects promises nobody awaits and
 * can throw from its own timers when a server restarts under it (a `TypeError` in
 * `connection.js` after `CONNECTION_CLOSED`, or `57P01 terminating connection due to
 * administrator command` on an idle pooled connection). Each connection it drops is opened
 * again on the next query, so swallowing those is safe; anything else still crashes.
 *
 * @module
 */
import { log } from "../log.ts";

// postgres.js's own codes for a dead socket, and the OS's.
const DRIVER_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
]);
// SQLSTATEs: admin/crash shutdown, cannot connect now, too many connections, class 08.
const SERVER_CODES = new Set(["57P01", "57P02", "57P03", "53300"]);

/** Whether `e` says the database is unreachable or restarting (worth a retry later). */
export function isConnectionLoss(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = String((e as { code?: unknown }).code ?? "");
  if (DRIVER_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith("08")) return true;
  return e.name === "PostgresError" && /shutting down|starting up|recovery mode/.test(e.message);
}

/** Whether `e` was raised inside the driver itself (its stack runs through postgres.js). */
function fromDriver(e: unknown): boolean {
  return e instanceof Error && /[/\\]postgres[/\\]src[/\\]/.test(e.stack ?? "");
}

let guarded = false;

/**
 * Installs (once per process) the handlers that keep a lost connection from ending the
 * process: a connection-loss rejection nobody awaited, or an error the driver throws from its
 * own callbacks, is logged and dropped.
 */
export function guardAgainstConnectionLoss(): void {
  if (guarded) return;
  guarded = true;
  const absorb = (what: string, error: unknown, event: Event) => {
    if (!isConnectionLoss(error) && !fromDriver(error)) return;
    event.preventDefault();
    log.warn("db.connection_lost", { where: what, error: String(error) });
  };
  globalThis.addEventListener("unhandledrejection", (e) => absorb("promise", e.reason, e));
  globalThis.addEventListener("error", (e) => absorb("callback", e.error, e));
}

/**
 * Runs `write` (a small bookkeeping write whose outcome this process holds, such as an
 * effect's report or a key's release) until it is done, again after each connection loss
 * (a database restart), pausing 100 ms doubling to 2 s, until `deadline` (epoch ms) or
 * `stop()`. Left undone, the row it would settle waits out a lease, and whoever waits on it
 * (a retried request, the effect's actor) waits that long after the database is back. The
 * write must be safe to repeat: its commit may hold even when its answer was lost.
 */
export async function writeThroughLoss(
  write: () => Promise<unknown>,
  deadline: number,
  stop: () => boolean = () => false,
): Promise<void> {
  for (let pause = 100;; pause = Math.min(pause * 2, 2000)) {
    try {
      await write();
      return;
    } catch (e) {
      if (!isConnectionLoss(e) || stop() || Date.now() + pause >= deadline) throw e;
      await new Promise((r) => setTimeout(r, pause));
    }
  }
}
