/**
 * Callers waiting for a reply. An ask's `reply_to` is `<process id>:<uuid>`: a worker in the
 * same process resolves it in memory after commit; a worker elsewhere stores the reply and
 * sends NOTIFY bss_reply, which this process's listener turns into a resolution. A periodic
 * sweep collects replies whose notification was missed (e.g. across a reconnect).
 *
 * @module
 */
import { fromWireError, type WireError } from "../../kernel/errors.ts";
import type { Pool } from "../../kernel/db/types.ts";
import { takeReplies } from "./sql.ts";

/** An ask that ran out of time; the message may still be handled later. */
export class AskTimeout extends Error {
  override name = "AskTimeout";
}

/** The timeout of an ask of `what` after `timeoutMs`. */
const noReply = (what: string, timeoutMs: number) =>
  new AskTimeout(`no reply to ${what} within ${timeoutMs} ms`);

/** `work`, or the ask's timeout if it takes longer (the work itself goes on). */
export async function within<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(noReply(what, timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

interface Waiter {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/** The asks of one process. */
export class Asks {
  readonly processId = crypto.randomUUID();
  #waiting = new Map<string, Waiter>();

  /** A fresh `reply_to` address and the promise of its reply. */
  open(timeoutMs: number, what: string): { replyTo: string; reply: Promise<unknown> } {
    const replyTo = `${this.processId}:${crypto.randomUUID()}`;
    const reply = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(replyTo);
        reject(noReply(what, timeoutMs));
      }, timeoutMs);
      this.#waiting.set(replyTo, { resolve, reject, timer });
    });
    return { replyTo, reply };
  }

  /** Whether `replyTo` belongs to this process (so the reply is handed over in memory). */
  isLocal(replyTo: string): boolean {
    return replyTo.startsWith(this.processId + ":");
  }

  /** Settles a waiting ask. */
  settle(replyTo: string, ok: boolean, body: unknown): void {
    const w = this.#waiting.get(replyTo);
    if (!w) return;
    this.#waiting.delete(replyTo);
    clearTimeout(w.timer);
    if (ok) w.resolve(body);
    else w.reject(fromWireError(body as WireError));
  }

  /** Collects stored replies for this process's waiting asks (all, or the given ids). */
  async collect(sql: Pool, ids: string[] = [...this.#waiting.keys()]): Promise<void> {
    const mine = ids.filter((id) => this.#waiting.has(id));
    if (mine.length === 0) return;
    for (const r of await takeReplies(sql, mine)) this.settle(r.id, r.ok, r.body);
  }

  /** Fails every waiting ask (shutdown). */
  abandon(reason: string): void {
    for (const [id, w] of this.#waiting) {
      clearTimeout(w.timer);
      w.reject(new Error(reason));
      this.#waiting.delete(id);
    }
  }
}
