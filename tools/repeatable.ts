/**
 * Writes a client may repeat: the tools whose one write goes to a route that honours an
 * `Idempotency-Key` (order create, VAS purchase, plan change) run with one key for every try,
 * so a try whose answer was lost while the services restarted and the next try are one
 * operation — one order, one charge — never two.
 *
 * @module
 */
import type { Client } from "../http/client.ts";
import { HttpError } from "../http/errors.ts";
import type { Tool, ToolContext } from "./tool.ts";

/** The tools {@link invokeOnce} repeats: each makes its one keyed write from its arguments alone. */
export const REPEATABLE: ReadonlySet<string> = new Set([
  "order.create",
  "subscription.purchase_vas",
  "subscription.schedule_plan_change",
]);

/** How long {@link invokeOnce} keeps trying by default. */
const TRY_FOR_MS = 30_000;

/** `ctx` whose POSTs carry `key` as their `Idempotency-Key`. */
export function keyedContext(ctx: ToolContext, key: string): ToolContext {
  return {
    client(service) {
      const inner = ctx.client(service);
      const call: Client["call"] = (route, ...[input]) =>
        inner.call(
          route,
          ...[route.method === "POST" ? { ...input, idempotencyKey: key } : input] as never,
        );
      return { call };
    },
  };
}

/** Whether `e` says the service did not answer (down, restarting, or too slow), not "no". */
function unanswered(e: unknown): boolean {
  return e instanceof HttpError && (e.status === 503 || e.status === 504);
}

/**
 * Runs `tool`; a {@link REPEATABLE} one runs under one fresh key and is tried again, with the
 * same key, while the services do not answer (up to `forMs`), telling `onRetry` each time. Any
 * other tool runs once.
 */
export async function invokeOnce(
  tool: Tool,
  raw: Record<string, unknown>,
  ctx: ToolContext,
  options: { forMs?: number; onRetry?: (error: HttpError, attempt: number) => void } = {},
): Promise<unknown> {
  if (!REPEATABLE.has(tool.name)) return await tool.invoke(raw, ctx);
  const keyed = keyedContext(ctx, `${tool.name}:${crypto.randomUUID()}`);
  const deadline = Date.now() + (options.forMs ?? TRY_FOR_MS);
  for (let attempt = 1;; attempt++) {
    try {
      return await tool.invoke(raw, keyed);
    } catch (e) {
      if (!unanswered(e) || Date.now() >= deadline) throw e;
      options.onRetry?.(e as HttpError, attempt);
      await new Promise((r) => setTimeout(r, Math.min(2_000, 250 * attempt)));
    }
  }
}
