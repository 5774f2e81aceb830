/**
 * The subscriber lifecycle end to end through the HTTP surface, every role running as
 * `deno task start` runs them: signup (customer → KYC → card → order → active line with
 * PLAN_S's 5120 MB), usage to exhaustion → blocked → VAS → active → usage flows again; and
 * the order as one trace across COM, SOM, inventory (CRM), provisioning, subscription and
 * payment, and `bss trace services` counting those services' spans.
 */
import assert from "node:assert/strict";
import { runCli } from "../cockpit/bss/cli.ts";
import { clock } from "../kernel/clock.ts";
import { PolicyViolation } from "../kernel/errors.ts";
import { spansOfTrace, traceSummary } from "../kernel/telemetry/query.ts";
import { recordUsageRoute } from "../http/mediation/usage.ts";
import { getSubscription, listSubscriptions, purchaseVas } from "../http/subscription/routes.ts";
import { toolContext } from "../tools/context.ts";
import { toolNamed } from "../tools/registry.ts";
import { order, signupCustomer } from "./support/signup.ts";
import { startSystem, until } from "./support/system.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

const usage = (msisdn: string, quantity: number) => ({
  body: {
    msisdn,
    eventType: "data",
    eventTime: clock.now().toISOString(),
    quantity,
    unit: "mb" as const,
  },
});

Deno.test({
  name: "signup → active PLAN_S line → exhaust → blocked → VAS → active → usage again",
  ...opts,
  async fn() {
    const sys = await startSystem("e2e_signup");
    const { client } = sys;
    try {
      const customerId = await signupCustomer(client);
      const done = await order(client, customerId);
      assert.equal(done.state, "completed", JSON.stringify(done));
      const [line] = await client.subscription.call(listSubscriptions, { query: { customerId } });
      assert.equal(line.state, "active");
      const data = line.balances.find((b) => b.allowanceType === "data")!;
      assert.deepEqual([data.total, data.remaining], [5120, 5120]);

      await client.mediation.call(recordUsageRoute, usage(line.msisdn, 5000));
      await client.mediation.call(recordUsageRoute, usage(line.msisdn, 120));
      const blocked = await until(
        () => client.subscription.call(getSubscription, { params: { id: line.id } }),
        (s) => s.state === "blocked",
        "the line to block on exhaustion",
      );
      assert.equal(blocked.balances.find((b) => b.allowanceType === "data")!.remaining, 0);
      await assert.rejects(
        client.mediation.call(recordUsageRoute, usage(line.msisdn, 1)),
        (e: unknown) =>
          e instanceof PolicyViolation && e.rule === "usage.record.subscription_must_be_active",
      );

      const topped = await client.subscription.call(purchaseVas, {
        params: { id: line.id },
        body: { vasOfferingId: "VAS_DATA_1GB" },
      });
      assert.equal(topped.state, "active");
      await client.mediation.call(recordUsageRoute, usage(line.msisdn, 24));
      await until(
        () => client.subscription.call(getSubscription, { params: { id: line.id } }),
        (s) => s.balances.find((b) => b.allowanceType === "data")!.remaining === 1000,
        "usage after the top-up to be rated and applied",
      );
    } finally {
      await sys.stop();
    }
  },
});

Deno.test({
  name: "one order is one trace across COM, SOM, inventory, provisioning, subscription, payment",
  ...opts,
  async fn() {
    const sys = await startSystem("e2e_trace");
    const { client } = sys;
    try {
      const customerId = await signupCustomer(client);
      const done = await order(client, customerId);
      assert.equal(done.state, "completed");
      await new Promise((r) => setTimeout(r, 100));
      await sys.telemetry.flush();
      const [{ trace_id }] = await sys.db.sql`
        select trace_id from audit.domain_event
        where event_type = 'order.in_progress' and aggregate_id = ${done.id}`;
      const spans = await spansOfTrace(sys.db.sql, trace_id);
      const summary = traceSummary(spans);
      for (const service of ["com", "som", "crm", "provisioning-sim", "subscription", "payment"]) {
        assert.ok(summary.services.includes(service), `${service} in ${summary.services}`);
      }
      assert.ok(summary.spanCount >= 20, `span count ${summary.spanCount}`);
      assert.equal(summary.errorSpanCount, 0);
      const [{ completed }] = await sys.db.sql`
        select trace_id = ${trace_id} as completed from audit.domain_event
        where event_type = 'order.completed' and aggregate_id = ${done.id}`;
      assert.ok(completed, "order.completed carries the same trace id as order.in_progress");
      // The rows keep the traces that armed their later sweeps (stuck order, renewal tick).
      const [armed] = await sys.db.sql`
        select split_part(o.placed_traceparent, '-', 2) as placed,
          split_part(s.activated_traceparent, '-', 2) as activated,
          (select trace_id from audit.domain_event
           where event_type = 'order.acknowledged' and aggregate_id = o.id) as acknowledged
        from order_mgmt.product_order o
        join subscription.subscription s on s.commercial_order_id = o.id
        where o.id = ${done.id}`;
      assert.equal(armed.placed, armed.acknowledged);
      assert.equal(armed.activated, trace_id);
      // The trace.for_order tool answers the same facts through the HTTP surface.
      const facts = await toolNamed("trace.for_order")!.invoke(
        { order_id: done.id },
        toolContext(sys.config, "test"),
      ) as { traceId: string; orderId: string; services: string[] };
      assert.equal(facts.orderId, done.id);
      assert.ok(facts.services.includes("subscription"));

      // `bss trace services`: every service of the flow with its figures, in each format.
      const config = sys.config;
      const json = await runCli(["trace", "services", "--window", "1h", "--json"], { config });
      assert.equal(json.code, 0, json.stderr);
      const stats = JSON.parse(json.stdout) as Array<
        & { service: string; traces: number; spans: number; errors: number }
        & Record<
          "p50Ms" | "p99Ms",
          number | null
        >
      >;
      for (const service of summary.services) {
        const s = stats.find((row) => row.service === service);
        assert.ok(s && s.traces >= 1 && s.spans >= 1, `${service} in ${json.stdout}`);
        assert.equal(typeof s.errors, "number");
      }
      const com = stats.find((row) => row.service === "com")!;
      assert.ok(com.p50Ms !== null && com.p99Ms !== null && com.p50Ms <= com.p99Ms);
      const card = await runCli(["trace", "services"], {
        config,
        terminal: { columns: 80, color: false },
      });
      assert.match(card.stdout, /Services \(spans over the window\)/);
      assert.match(card.stdout, /^\s+com\s+\d+\s+\d+\s+\d+\s+[\d.]+\s+[\d.]+/m);
      const plain = await runCli(["trace", "services", "--format", "plain"], { config });
      assert.match(plain.stdout, /^com +\d+ +\d+ +\d+ +[\d.]+ +[\d.]+$/m);
      const misuse = await runCli(["trace", "services", "--window", "soon"], { config });
      assert.equal(misuse.code, 2, misuse.stderr);
    } finally {
      await sys.stop();
    }
  },
});

Deno.test({
  name: "50 concurrent usage events on one line decrement exactly 50 times",
  ...opts,
  async fn() {
    const sys = await startSystem("e2e_usage50");
    const { client } = sys;
    try {
      const customerId = await signupCustomer(client);
      assert.equal((await order(client, customerId)).state, "completed");
      const [line] = await client.subscription.call(listSubscriptions, { query: { customerId } });
      await Promise.all(
        Array.from(
          { length: 50 },
          () => client.mediation.call(recordUsageRoute, usage(line.msisdn, 10)),
        ),
      );
      const after = await until(
        () => client.subscription.call(getSubscription, { params: { id: line.id } }),
        (s) => s.balances.find((b) => b.allowanceType === "data")!.consumed >= 500,
        "all 50 decrements",
      );
      await new Promise((r) => setTimeout(r, 300)); // a redelivery or double apply would show now
      const settled = await client.subscription.call(getSubscription, { params: { id: line.id } });
      const data = settled.balances.find((b) => b.allowanceType === "data")!;
      assert.deepEqual([data.consumed, data.remaining], [500, 4620]);
      assert.equal(after.state, "active");
      const [{ applied }] = await sys.db.sql`
        select count(*)::int as applied from audit.domain_event
        where event_type = 'usage.rated' and payload->>'subscriptionId' = ${line.id}`;
      assert.equal(applied, 50);
    } finally {
      await sys.stop();
    }
  },
});
