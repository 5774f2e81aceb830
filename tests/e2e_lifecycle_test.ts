/**
 * Lifecycle flows end to end through the HTTP surface with every role running: a declined
 * activation fails the order and frees the line; a stuck provisioning task resolved by an
 * operator lets the order complete; renewal on a clock advance charges once, even when the
 * sweep is triggered twice; termination sends the number to quarantine.
 */
import assert from "node:assert/strict";
import { clockAdvance, clockFreeze } from "../http/admin/clock.ts";
import { getMsisdnRoute } from "../http/inventory/msisdn.ts";
import { customerByMsisdn } from "../http/crm/customer_by_msisdn.ts";
import { NotFound } from "../kernel/errors.ts";
import { listFaultInjections, updateFaultInjection } from "../http/provisioning/fault_injection.ts";
import { listTasks, resolveTask } from "../http/provisioning/tasks.ts";
import {
  getSubscription,
  listSubscriptions,
  terminateSubscription,
  tickRenewals,
} from "../http/subscription/routes.ts";
import { getProductOrder } from "../http/com/product_orders.ts";
import { order, placeOrder, signupCustomer } from "./support/signup.ts";
import { startSystem, until } from "./support/system.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "declined activation: the order fails, no line is left, the number goes back",
  ...opts,
  async fn() {
    const sys = await startSystem("e2e_decline");
    try {
      const customerId = await signupCustomer(sys.client, "4000 0000 0000 0002");
      const done = await order(sys.client, customerId);
      assert.equal(done.state, "failed");
      const lines = await sys.client.subscription.call(listSubscriptions, {
        query: { customerId },
      });
      assert.deepEqual(lines, []);
      const [{ reserved }] = await sys.db.sql`
        select count(*)::int as reserved from inventory.msisdn_pool where status <> 'available'`;
      assert.equal(reserved, 0, "no number stays reserved");
      const [{ failed }] = await sys.db.sql`
        select payload->>'declineCode' as failed from audit.domain_event
        where event_type = 'order.failed' and aggregate_id = ${done.id}`;
      assert.ok(failed, "order.failed carries the decline code");
      // SOM had activated the services for the line: with the order failed they serve nothing.
      const services = await until(
        () =>
          sys.db.sql`select s.state from service_inventory.service s
          join service_inventory.service_order so on so.id = s.service_order_id
          where so.commercial_order_id = ${done.id}`,
        (rows) => rows.length > 0 && rows.every((r) => r.state === "terminated"),
        "the order's services to be terminated",
      );
      assert.equal(services.length, 3);
    } finally {
      await sys.stop();
    }
  },
});

Deno.test({
  name: "a stuck provisioning task, resolved by an operator, lets the order complete",
  ...opts,
  async fn() {
    const sys = await startSystem("e2e_stuck");
    const { client } = sys;
    try {
      const faults = await client["provisioning-sim"].call(listFaultInjections);
      const stuck = faults.find((f) => f.faultType === "stuck" && f.taskType === "HLR_PROVISION")!;
      await client["provisioning-sim"].call(updateFaultInjection, {
        params: { id: stuck.id },
        body: { enabled: true, probability: 1 },
      });
      const customerId = await signupCustomer(client);
      const id = await placeOrder(client, customerId);
      const [task] = await until(
        () => client["provisioning-sim"].call(listTasks, { query: { state: "stuck" } }),
        (tasks) => tasks.length === 1,
        "the HLR task to get stuck",
      );
      await client["provisioning-sim"].call(updateFaultInjection, {
        params: { id: stuck.id },
        body: { enabled: false },
      });
      assert.equal(
        (await client.com.call(getProductOrder, { params: { id } })).state,
        "in_progress",
      );
      await client["provisioning-sim"].call(resolveTask, {
        params: { id: task.id },
        body: { note: "HLR restarted by the on-call engineer" },
      });
      const done = await until(
        () => client.com.call(getProductOrder, { params: { id } }),
        (o) => o.state !== "in_progress",
        "the order to complete after the resolve",
      );
      assert.equal(done.state, "completed");
      // The order's four tasks were created by their intake's turns (no `create` turn); the
      // task actors' own turns are the operator's resolve and the re-run's end.
      const turns = await sys.db.sql`
        select kind, type from actor.history where (kind, key) in (
          select k.kind, k.key from provisioning.provisioning_task t
            cross join lateral (values ('provisioning_task', t.id),
              ('provisioning_intake', t.service_id)) k(kind, key)
          where t.commercial_order_id = ${id})
        order by id`;
      assert.deepEqual(turns.map((t) => `${t.kind} ${t.type}`), [
        ...Array(4).fill("provisioning_intake request"),
        "provisioning_task resolve",
        "provisioning_task finish",
      ]);
    } finally {
      await sys.stop();
    }
  },
});

Deno.test({
  name: "renewal on clock advance charges exactly once; termination quarantines the number",
  ...opts,
  async fn() {
    const sys = await startSystem("e2e_renewal");
    const { client } = sys;
    try {
      await client.com.call(clockFreeze, { body: {} });
      const customerId = await signupCustomer(client);
      assert.equal((await order(client, customerId)).state, "completed");
      const [line] = await client.subscription.call(listSubscriptions, { query: { customerId } });
      await client.com.call(clockAdvance, { body: { duration: "30d" } });
      await Promise.all([
        client.subscription.call(tickRenewals),
        client.subscription.call(tickRenewals),
      ]);
      const renewed = await until(
        () => client.subscription.call(getSubscription, { params: { id: line.id } }),
        (s) => s.currentPeriodStart !== line.currentPeriodStart,
        "the renewal",
      );
      assert.equal(renewed.state, "active");
      assert.equal(renewed.currentPeriodStart, line.currentPeriodEnd, "anchored, no drift");
      await client.subscription.call(tickRenewals);
      const [{ charges }] = await sys.db.sql`
        select count(*)::int as charges from payment.payment_attempt
        where customer_id = ${customerId} and purpose = 'renewal'`;
      assert.equal(charges, 1, "one renewal charge for one boundary");

      const owner = await client.crm.call(customerByMsisdn, { params: { msisdn: line.msisdn } });
      assert.equal(owner.id, customerId);
      const ended = await client.subscription.call(terminateSubscription, {
        params: { id: line.id },
        body: {},
      });
      assert.equal(ended.state, "terminated");
      const number = await client.crm.call(getMsisdnRoute, { params: { msisdn: line.msisdn } });
      assert.equal(number.status, "quarantine");
      await assert.rejects(
        client.crm.call(customerByMsisdn, { params: { msisdn: line.msisdn } }),
        NotFound,
        "lookups by MSISDN ignore terminated lines",
      );
    } finally {
      await sys.stop();
    }
  },
});
