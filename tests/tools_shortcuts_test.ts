/**
 * The one-step shortcuts of the operator tools (`bss customer create --card`, `bss order create
 * --wait`): a customer created with a card on file, and an order answered once it is final.
 */
import assert from "node:assert/strict";
import { attestKyc } from "./support/crm.ts";
import { startSystem } from "./support/system.ts";
import { toolContext } from "../tools/context.ts";
import { toolNamed } from "../tools/registry.ts";

Deno.test({
  name: "customer.create with card puts it on file; order.create with wait answers it completed",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const sys = await startSystem("tools_shortcuts");
    try {
      const ctx = toolContext(sys.config, "test");
      const run = (name: string, args: Record<string, unknown>) =>
        toolNamed(name)!.invoke(args, ctx) as Promise<Record<string, unknown>>;
      const customer = await run("customer.create", {
        name: "Shortcut Tester",
        email: "shortcut@example.test",
        card: "4242424242424242",
      });
      assert.match(String(customer.paymentMethodId), /^PM-\d{4,}$/);
      const methods = await run("payment.list_methods", { customer_id: customer.id }) as unknown;
      assert.deepEqual(
        (methods as { id: string }[]).map((m) => m.id),
        [customer.paymentMethodId],
      );
      await attestKyc(sys.client.crm, String(customer.id));
      const order = await run("order.create", {
        customer_id: customer.id,
        offering_id: "PLAN_S",
        wait: true,
      });
      assert.equal(order.state, "completed");
      const plain = await run("order.create", { customer_id: customer.id, offering_id: "PLAN_S" });
      assert.equal(plain.state, "acknowledged", "without wait: the order as created");
    } finally {
      await sys.stop();
    }
  },
});
