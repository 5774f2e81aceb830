/**
 * Keyed writes a client may repeat: one key for every try of a repeatable tool, tries again
 * only while the services do not answer; and against a running system, the order tool run
 * twice under one key (the first try's answer lost) makes one order, submitted once.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { listProductOrders } from "../http/com/product_orders.ts";
import { HttpError } from "../http/errors.ts";
import type { Client } from "../http/client.ts";
import { localCaller, withCaller } from "../kernel/context.ts";
import { toolContext } from "../tools/context.ts";
import { invokeOnce, keyedContext } from "../tools/repeatable.ts";
import { toolNamed } from "../tools/registry.ts";
import { defineTool, OPERATOR, type ToolContext } from "../tools/tool.ts";
import { signupCustomer } from "./support/signup.ts";
import { startSystem } from "./support/system.ts";

/** A context whose every call records its Idempotency-Key, then answers from `answer`. */
function recording(answer: (n: number) => unknown) {
  const keys: (string | undefined)[] = [];
  const client = {
    call: (_route: unknown, input?: { idempotencyKey?: string }) => {
      keys.push(input?.idempotencyKey);
      const out = answer(keys.length);
      return out instanceof Error ? Promise.reject(out) : Promise.resolve(out);
    },
  } as unknown as Client;
  const ctx: ToolContext = { client: () => client };
  return { ctx, keys };
}

/** A tool under a repeatable name whose one write is a POST. */
const posting = (name: string) =>
  defineTool({
    name,
    description: "test",
    class: "create",
    profiles: OPERATOR,
    args: z.object({}),
    run: (_a, ctx) => ctx.client("com").call({ method: "POST" } as never, {} as never),
  });

const down = () => new HttpError(503, { code: "UPSTREAM_UNAVAILABLE", message: "down" });

Deno.test("a repeatable tool is tried again with the same key while the services do not answer", async () => {
  const { ctx, keys } = recording((n) => n < 3 ? down() : { id: "ORD-1" });
  const retries: number[] = [];
  const out = await invokeOnce(posting("order.create"), {}, ctx, {
    onRetry: (_e, attempt) => retries.push(attempt),
  });
  assert.deepEqual(out, { id: "ORD-1" });
  assert.equal(keys.length, 3);
  assert.match(keys[0]!, /^order\.create:[0-9a-f-]{36}$/);
  assert.ok(keys.every((k) => k === keys[0]), "one key for every try");
  assert.deepEqual(retries, [1, 2]);
});

Deno.test("an answer is not retried, nor is a tool that is not repeatable, nor past the deadline", async () => {
  const refused = recording(() => new HttpError(422, { code: "VALIDATION_ERROR", message: "no" }));
  await assert.rejects(() => invokeOnce(posting("order.create"), {}, refused.ctx), HttpError);
  assert.equal(refused.keys.length, 1);
  const plain = recording(() => down());
  await assert.rejects(() => invokeOnce(posting("case.open"), {}, plain.ctx), HttpError);
  assert.deepEqual(plain.keys, [undefined], "no key, one try");
  const late = recording(() => down());
  await assert.rejects(() => invokeOnce(posting("order.create"), {}, late.ctx, { forMs: 0 }));
  assert.equal(late.keys.length, 1);
});

Deno.test({
  name: "order.create twice under one key: one order, submitted once, the same answer",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sys = await startSystem("tools_repeatable");
    try {
      const customerId = await signupCustomer(sys.client);
      const keyed = keyedContext(toolContext(sys.config, "cli"), "order.create:test-key-1");
      const tool = toolNamed("order.create")!;
      const args = { customer_id: customerId, offering_id: "PLAN_S" };
      const [first, again] = await withCaller(localCaller("cli-user", "cli"), async () => [
        await tool.invoke(args, keyed) as { id: string },
        // The first try's answer lost: the repeat finds the order made and already submitted.
        await tool.invoke(args, keyed) as { id: string },
      ]);
      assert.equal(again.id, first.id);
      const orders = await sys.client.com.call(listProductOrders, { query: { customerId } });
      assert.deepEqual(orders.map((o) => o.id), [first.id]);
    } finally {
      await sys.stop();
    }
  },
});
