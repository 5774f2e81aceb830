/**
 * `Idempotency-Key` on the POSTs that create money or lines (order create, VAS purchase,
 * plan change, payment method add): the first request with a key claims it (under a lease)
 * and stores its outcome; a repeat with the same key and request answers that outcome, also
 * while the first is still running (it waits); the same key on another request is refused
 * (422). A claimant that died is taken over at once (its process is gone, see
 * `kernel/db/holder.ts`) or once its lease has run out (it hangs); the operation's
 * `fixId` keeps the id it chose (an order id, say) for that takeover, so the re-run acts on
 * the same resource instead of making a second one. A failure that is not an answer (a
 * PolicyViolation or NotFound) is not stored: the next request with the key runs again. A
 * claimant that lost the database (a restart) stores its outcome, or releases the key, once the
 * database is back, so the retry need not wait out the lease.
 *
 * @module
 */
import type { Context } from "hono";
import { z } from "zod";
import { currentCaller } from "../kernel/context.ts";
import { isConnectionLoss, writeThroughLoss } from "../kernel/db/connection_loss.ts";
import { holderGone, PROCESS_HOLDER } from "../kernel/db/holder.ts";
import type { Pool } from "../kernel/db/types.ts";
import { fromWireError, isAnswer, toWireError, type WireError } from "../kernel/errors.ts";
import { log } from "../kernel/log.ts";
import type { AppEnv } from "./env.ts";
import { issuesOf, ValidationError } from "./errors.ts";

/** An idempotency key: printable ASCII, one per business operation. */
export const RequestKey = z.string().min(1).max(255)
  .regex(/^[\x21-\x7e]+$/, "printable ASCII without spaces");

/** The request's `Idempotency-Key`, validated; undefined when absent. */
export function requestKeyOf(c: Context<AppEnv>): string | undefined {
  const header = c.req.header("idempotency-key");
  if (header === undefined) return undefined;
  const parsed = RequestKey.safeParse(header);
  if (!parsed.success) {
    throw new ValidationError(
      issuesOf(parsed.error).map((i) => ({ ...i, path: ["headers", "Idempotency-Key"] })),
    );
  }
  return parsed.data;
}

/** What an operation run under a key may do. */
export interface KeyedRun {
  /** The id fixed by an earlier claimant of this key, if it died after fixing one. */
  fixedId: string | null;
  /** Records the id the operation acts on, before it acts. */
  fixId(id: string): Promise<void>;
}

interface Row {
  fingerprint: string;
  state: "running" | "done";
  resource_id: string | null;
  outcome: { ok: true; value: unknown } | { ok: false; error: WireError } | null;
}

/** A claim's lease, renewed every third of it while the work runs. */
const LEASE_MS = 10_000;
/** How long a claim is renewed at most while its work runs. */
const MAX_RUN_MS = 60_000;
/** How long an outcome or release that met a lost database is tried again in the background. */
const SETTLE_MS = 30_000;

/** Runs `work` once per key (see the module comment); without a key, just runs it. */
export async function oncePerKey<T>(
  sql: Pool,
  request: { scope: string; key: string | undefined; fingerprint: unknown },
  work: (run: KeyedRun) => Promise<T>,
): Promise<T> {
  const { scope, key } = request;
  if (key === undefined) return await work({ fixedId: null, fixId: () => Promise.resolve() });
  const tenant = currentCaller().tenant;
  const fingerprint = JSON.stringify(request.fingerprint);
  const where = sql`tenant_id = ${tenant} and scope = ${scope} and key = ${key}`;
  const lease = sql`now() + make_interval(secs => ${LEASE_MS / 1000})`;
  for (let wait = 5;; wait = Math.min(wait * 2, 100)) {
    const [claimed] = await sql<{ resource_id: string | null }[]>`
      insert into idempotency.request (tenant_id, scope, key, fingerprint, lease_until, holder)
      values (${tenant}, ${scope}, ${key}, ${fingerprint}, ${lease}, ${PROCESS_HOLDER})
      on conflict (tenant_id, scope, key) do update set lease_until = ${lease},
        holder = excluded.holder
        where request.state = 'running' and request.fingerprint = excluded.fingerprint
          and (request.lease_until < now() or ${holderGone(sql, "request.holder")})
      returning resource_id`;
    if (claimed) return await runClaimed(claimed.resource_id);
    const [row] = await sql<Row[]>`
      select fingerprint, state, resource_id, outcome
      from idempotency.request where ${where}`;
    if (!row) continue;
    if (row.fingerprint !== fingerprint) {
      throw new ValidationError([{
        path: ["headers", "Idempotency-Key"],
        message: "already used for a different request",
      }]);
    }
    if (row.state === "done" && row.outcome) {
      if (row.outcome.ok) return row.outcome.value as T;
      throw fromWireError(row.outcome.error);
    }
    // running elsewhere: wait for its outcome (or its process to die, or its lease to run out)
    await new Promise((r) => setTimeout(r, wait));
  }

  async function runClaimed(fixedId: string | null): Promise<T> {
    const fixId = async (id: string) => {
      await sql`update idempotency.request set resource_id = ${id} where ${where}`;
    };
    // The first outcome stored stands (a late one, written in the background, changes nothing).
    const store = (outcome: unknown) => () =>
      sql`update idempotency.request set state = 'done',
            outcome = ${JSON.stringify(outcome)}::text::jsonb
          where ${where} and state = 'running'`;
    // not an answer: the next request with the key takes over at once
    const release = () =>
      sql`update idempotency.request set lease_until = now() - interval '1 s'
          where ${where} and state = 'running'`;
    // A slow run keeps its claim: a retry waits for its outcome rather than run it twice. One
    // that hangs past MAX_RUN_MS is let go, and a retry takes the key over.
    const renewUntil = Date.now() + MAX_RUN_MS;
    const renewal = setInterval(() => {
      if (Date.now() > renewUntil) return clearInterval(renewal);
      sql`update idempotency.request set lease_until = ${lease} where ${where} and state = 'running'`
        .catch(() => {}); // the database away: the work itself meets that
    }, LEASE_MS / 3);
    let value: T;
    try {
      value = await work({ fixedId, fixId });
    } catch (e) {
      await settle(isAnswer(e) ? store({ ok: false, error: toWireError(e) }) : release);
      throw e;
    } finally {
      clearInterval(renewal);
    }
    await settle(store({ ok: true, value }));
    return value;
  }
}

/**
 * Writes a key's outcome or release. With the database lost (a restart) the write goes on in
 * the background until it is back, and the request answers meanwhile: left undone, the key
 * stays leased and the client's retry waits out the lease after the database is back.
 */
async function settle(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (e) {
    if (!isConnectionLoss(e)) throw e;
    writeThroughLoss(write, Date.now() + SETTLE_MS).catch((lost) =>
      log.warn("idempotency.settle_failed", { error: String(lost) })
    );
  }
}
