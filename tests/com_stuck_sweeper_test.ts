/**
 * The stuck-order sweeper (docs/flows.md §6.5): an order `in_progress` past the threshold on the
 * BSS clock gets exactly one `order.stuck`; younger, finished or already flagged orders none.
 */
import assert from "node:assert/strict";
import { sweepStuckOrders } from "../http/com/index.ts";
import { clock } from "../kernel/clock.ts";
import { expectStatus } from "./support/crm.ts";
import { startPipeline } from "./support/orders.ts";

const ORDERS = "/tmf-api/productOrderingManagement/v4/productOrder";
const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  ...opts,
  name: "an order in progress past 900 s on the BSS clock is flagged once with order.stuck",
  async fn() {
    const p = await startPipeline("com_stuck", { bridge: false });
    try {
      const customerId = await p.customer();
      // Frozen, so the thresholds below hold however slow the machine is.
      await clock.freeze(p.db.sql);
      const place = async () =>
        (await expectStatus(
          p.com.request(ORDERS, { method: "POST", json: { customerId, offeringId: "PLAN_S" } }),
          201,
        )).id as string;
      const submit = (id: string) =>
        expectStatus(p.com.request(`${ORDERS}/${id}/submit`, { method: "POST" }), 200);
      const stuck = await place();
      await submit(stuck);
      const waiting = await place(); // acknowledged: never stuck
      const cancelled = await place();
      await submit(cancelled);
      await expectStatus(p.com.request(`${ORDERS}/${cancelled}/cancel`, { method: "POST" }), 200);

      assert.deepEqual(await sweepStuckOrders(p.db.sql), []);
      await clock.advance(p.db.sql, 899);
      assert.deepEqual(await sweepStuckOrders(p.db.sql), []);
      await clock.advance(p.db.sql, 2);
      const younger = await place();
      await submit(younger);
      assert.deepEqual(await sweepStuckOrders(p.db.sql), [stuck]);
      assert.deepEqual(await sweepStuckOrders(p.db.sql), []);

      const events = await p.db.sql`
        select aggregate_id, payload, actor, channel from audit.domain_event
        where event_type = 'order.stuck'`;
      assert.equal(events.length, 1);
      const [order] = await p.db.sql`
        select order_date, stuck_flagged_at from order_mgmt.product_order where id = ${stuck}`;
      assert.deepEqual(events[0].payload, {
        commercialOrderId: stuck,
        customerId,
        state: "in_progress",
        stuckSinceOrderDate: order.order_date.toISOString(),
      });
      assert.deepEqual([events[0].actor, events[0].channel], ["system", "system"]);
      assert.ok(order.stuck_flagged_at);
      const still = await expectStatus(p.com.request(`${ORDERS}/${stuck}`), 200);
      assert.equal(still.state, "inProgress");
      assert.equal(
        (await expectStatus(p.com.request(`${ORDERS}/${waiting}`), 200)).state,
        "acknowledged",
      );
    } finally {
      await p.stop();
    }
  },
});
