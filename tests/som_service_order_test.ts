/**
 * SOM (docs/flows.md §1.3–1.5, docs/http.md §9.1): a cancel before SOM starts stops decomposition with
 * nothing reserved; an empty pool fails the order; task results are tracked per task
 * (duplicates, unknown types and non-permanent failures ignored); a cancel racing a started
 * service order gives the line back (an effect); the mapping is read by an effect when not at
 * hand; the read routes.
 */
import assert from "node:assert/strict";
import { emit } from "../kernel/events.ts";
import { waitFor } from "./support/bridge.ts";
import { expectStatus } from "./support/crm.ts";
import { startPipeline } from "./support/orders.ts";

const p = await startPipeline("som_orders", { bridge: false });
const ORDERS = "/tmf-api/productOrderingManagement/v4/productOrder";
const SO = "/tmf-api/serviceOrderingManagement/v4/serviceOrder";
const SERVICE = "/tmf-api/serviceInventoryManagement/v4/service";
const opts = { sanitizeOps: false, sanitizeResources: false };

async function placeAndSubmit(customerId: string): Promise<string> {
  const order = await expectStatus(
    p.com.request(ORDERS, { method: "POST", json: { customerId, offeringId: "PLAN_S" } }),
    201,
  );
  await expectStatus(p.com.request(`${ORDERS}/${order.id}/submit`, { method: "POST" }), 200);
  return order.id;
}

async function serviceOrder(orderId: string, state: string) {
  let found: Record<string, unknown> & { serviceOrderItem: { targetServiceId: string }[] } = {
    serviceOrderItem: [],
  };
  await waitFor(async () => {
    const list = await expectStatus(p.som.request(`${SO}?commercialOrderId=${orderId}`), 200);
    found = list[0];
    return list.length === 1 && list[0].state === state;
  }, `service order of ${orderId} ${state}`);
  return found;
}

async function cfsOf(orderId: string, state: string) {
  const so = await serviceOrder(orderId, state);
  return await expectStatus(
    p.som.request(`${SERVICE}/${so.serviceOrderItem[0].targetServiceId}`),
    200,
  );
}

const reservedCount = async () =>
  (await p.db.sql`
    select count(*)::int as n from inventory.msisdn_pool where status = 'reserved'`)[0].n;

/** Emits a provisioning result as the simulator would. */
async function taskEvent(kind: string, cfs: Record<string, unknown>, taskType: string, extra = {}) {
  const c = cfs.characteristics as Record<string, string>;
  await emit(p.db.sql, {
    type: `provisioning.task.${kind}`,
    aggregateType: "provisioning_task",
    aggregateId: `PTK-${taskType}`,
    payload: {
      taskId: `PTK-${taskType}`,
      serviceId: cfs.id,
      serviceOrderId: "ignored",
      commercialOrderId: c.commercialOrderId,
      taskType,
      attempts: 1,
      maxAttempts: 3,
      ...extra,
    },
  });
}

Deno.test({
  ...opts,
  name: "a cancel before SOM starts stops it for good: the late order.in_progress is skipped",
  async fn() {
    const customerId = await p.customer();
    const id = await placeAndSubmit(customerId);
    // The cancel asks SOM first: with nothing decomposed yet, SOM records a cancelled service
    // order, so the order.in_progress that arrives afterwards (bridge started below) is skipped.
    const cancelled = await expectStatus(
      p.com.request(`${ORDERS}/${id}/cancel`, { method: "POST" }),
      200,
    );
    assert.equal(cancelled.state, "cancelled");
    await p.startBridge();
    await waitFor(async () => {
      const [r] = await p.db.sql`select
        exists (select 1 from bus.inbox i join audit.domain_event d using (event_id)
          where i.consumer = 'som.order.in_progress' and d.aggregate_id = ${id}) as delivered,
        exists (select 1 from actor.mailbox
          where kind = 'service_order' and key = ${id}) as pending`;
      return r.delivered && !r.pending;
    }, "SOM to consume the late order.in_progress");
    const so = await serviceOrder(id, "cancelled");
    assert.equal("startedAt" in so, false, "never started: omitted on the wire");
    assert.equal(so.stateReason, "commercial order cancelled");
    assert.deepEqual(so.serviceOrderItem, [], "nothing was decomposed");
    assert.equal(await reservedCount(), 0);
    const events = await p.db.sql`
      select event_type from audit.domain_event where event_type like 'provisioning.%'`;
    assert.equal(events.length, 0);
  },
});

Deno.test({
  ...opts,
  name: "an empty number pool fails the service order and the order",
  async fn() {
    const customerId = await p.customer();
    const freed = await p.db.sql`
      update inventory.msisdn_pool set status = 'assigned' where status = 'available'
      returning msisdn`;
    try {
      const id = await placeAndSubmit(customerId);
      await p.orderIn(id, "failed");
      const so = await serviceOrder(id, "failed");
      assert.equal(so.stateReason, "line reservation failed: msisdn.reserve.no_available");
      const [event] = await p.db.sql`
        select payload from audit.domain_event
        where event_type = 'order.failed' and aggregate_id = ${id}`;
      assert.equal(event.payload.reason, "line reservation failed: msisdn.reserve.no_available");
    } finally {
      await p.db.sql`update inventory.msisdn_pool set status = 'available'
        where msisdn = any(${freed.map((r) => r.msisdn)})`;
    }
  },
});

Deno.test({
  ...opts,
  name: "task results: unknown, non-permanent and duplicate results change nothing",
  async fn() {
    p.provisioning = (t) => (t === "ESIM_PROFILE_PREPARE" ? "silent" : "completed");
    try {
      const id = await placeAndSubmit(await p.customer());
      let cfs = await cfsOf(id, "inProgress");
      await waitFor(async () => {
        cfs = await expectStatus(p.som.request(`${SERVICE}/${cfs.id}`), 200);
        return cfs.characteristics.pendingTasks.OCS_BALANCE_INIT === "completed" &&
          cfs.characteristics.pendingTasks.HLR_PROVISION === "completed" &&
          cfs.characteristics.pendingTasks.PCRF_POLICY_PUSH === "completed";
      }, "three tasks completed");
      await taskEvent("failed", cfs, "ESIM_PROFILE_PREPARE", { permanent: false });
      await taskEvent("completed", cfs, "BOGUS_TASK");
      await taskEvent("stuck", cfs, "ESIM_PROFILE_PREPARE");
      await waitFor(async () => {
        const now = await expectStatus(p.som.request(`${SERVICE}/${cfs.id}`), 200);
        return now.characteristics.pendingTasks.ESIM_PROFILE_PREPARE === "stuck";
      }, "the stuck mark");
      const still = await expectStatus(p.som.request(`${SERVICE}/${cfs.id}`), 200);
      assert.equal(still.state, "reserved");
      assert.equal("BOGUS_TASK" in still.characteristics.pendingTasks, false);
      // An operator resolves the stuck task: the simulator reports it completed.
      await taskEvent("completed", cfs, "ESIM_PROFILE_PREPARE");
      const order = await p.orderIn(id, "completed");
      assert.ok(order.productOrderItem[0].targetSubscriptionId);
      await taskEvent("completed", cfs, "ESIM_PROFILE_PREPARE");
      await taskEvent("failed", cfs, "HLR_PROVISION", { permanent: true });
      await p.settled();
      assert.equal((await serviceOrder(id, "completed")).state, "completed");
      const completions = await p.db.sql`
        select 1 from audit.domain_event where event_type = 'service_order.completed'
          and payload->>'commercialOrderId' = ${id}`;
      assert.equal(completions.length, 1);
    } finally {
      p.provisioning = () => "completed";
    }
  },
});

Deno.test({
  ...opts,
  name: "a cancel that raced a started service order fails it and gives the line back",
  async fn() {
    p.provisioning = () => "silent";
    try {
      const customerId = await p.customer();
      const id = await placeAndSubmit(customerId);
      const cfs = await cfsOf(id, "inProgress");
      await emit(p.db.sql, {
        type: "order.cancelled",
        aggregateType: "ProductOrder",
        aggregateId: id,
        payload: { commercialOrderId: id, customerId, fromState: "in_progress" },
      });
      const so = await serviceOrder(id, "failed");
      assert.equal(so.stateReason, "commercial order cancelled");
      // The line goes back by an effect staged in the cancel's turn, once it committed.
      await waitFor(async () => {
        const [n] = await p.db.sql`
          select status from inventory.msisdn_pool where msisdn = ${cfs.characteristics.msisdn}`;
        const [e] = await p.db.sql`
          select profile_state from inventory.esim_profile
          where iccid = ${cfs.characteristics.iccid}`;
        return n.status === "available" && e.profile_state === "available";
      }, "the line back in the pool");
      // Its outcome is written just after the call that freed the line.
      await waitFor(async () => {
        const [release] = await p.db.sql`
          select state from effect.effect where idempotency_key = ${`release:${id}`}`;
        return release?.state === "done";
      }, "the release effect done");
    } finally {
      p.provisioning = () => "completed";
    }
  },
});

Deno.test({
  ...opts,
  name: "reads: 404 for unknown ids, unfiltered lists paged, [] for unknown subscriptions",
  async fn() {
    assert.equal((await expectStatus(p.som.request(`${SO}/SO-9999`), 404)).code, "NOT_FOUND");
    assert.equal((await expectStatus(p.som.request(`${SERVICE}/SVC-9999`), 404)).code, "NOT_FOUND");
    const all = await p.som.request(`${SO}?limit=2&offset=1`);
    const page = await expectStatus(all, 200);
    const total =
      (await p.db.sql`select count(*)::int as n from service_inventory.service_order`)[0].n;
    assert.equal(page.length, Math.min(2, total - 1));
    assert.equal(all.headers.get("x-result-count"), String(page.length));
    assert.equal(all.headers.get("x-total-count"), String(total));
    const services = await p.som.request(`${SERVICE}?state=Active&fields=state`);
    const active = await expectStatus(services, 200);
    assert.ok(active.length > 0, "the completed order's CFS is active");
    for (const s of active) {
      assert.deepEqual(Object.keys(s).sort(), ["@schemaLocation", "@type", "href", "id", "state"]);
      assert.equal(s.state, "active", "the enum filter matches whatever its case");
    }
    assert.deepEqual(
      await expectStatus(p.som.request(`${SERVICE}?subscriptionId=SUB-9999`), 200),
      [],
    );
    assert.deepEqual(
      await expectStatus(p.som.request(`${SO}?commercialOrderId=ORD-9999`), 200),
      [],
    );
    const [row] = await p.db.sql`select id from service_inventory.service_order limit 1`;
    const so = await expectStatus(p.som.request(`${SO}/${row.id}`), 200);
    assert.equal(so["@type"], "ServiceOrder");
    // The old path is an alias: the resource names its official, absolute href.
    const official = `/tmf-api/serviceOrdering/v4/serviceOrder/${row.id}`;
    assert.equal(so.href, `${p.som.url}${official}`);
    assert.deepEqual(await expectStatus(p.som.request(official), 200), so);
  },
});

Deno.test({
  ...opts,
  name: "the OpenAPI documents of COM and SOM list their routes",
  async fn() {
    const somDoc = await expectStatus(p.som.request("/openapi.json"), 200);
    assert.ok(somDoc.paths[`${SO}/{id}`]?.get);
    assert.ok(somDoc.paths[`${SERVICE}/{id}`]?.get);
    const comDoc = await expectStatus(p.com.request("/openapi.json"), 200);
    assert.ok(comDoc.paths[ORDERS]?.post);
    assert.ok(comDoc.paths[`${ORDERS}/{id}/cancel`]?.post);
  },
});

Deno.test({
  ...opts,
  name: "a decomposition without the mapping at hand reads it by an effect; later ones reuse it",
  async fn() {
    // The file's first order found no mapping in this process: its turn staged the read.
    const [first] = await p.db.sql`
      select state, input->'decompose'->>'offeringId' as offering from effect.effect
      where type = 'som.read_mapping' order by id limit 1`;
    assert.deepEqual({ ...first }, { state: "done", offering: "PLAN_S" });
    // Held in progress, so the state waited for is seen. Two orders in a row: the first may
    // read the mapping again (the cache keeps it 60 s), the second finds it at hand.
    p.provisioning = () => "silent";
    try {
      await cfsOf(await placeAndSubmit(await p.customer()), "inProgress");
      const id = await placeAndSubmit(await p.customer());
      await cfsOf(id, "inProgress");
      const [again] = await p.db.sql`
        select count(*)::int as n from effect.effect where idempotency_key = ${`mapping:${id}`}`;
      assert.equal(again.n, 0, "the mapping read before is at hand");
    } finally {
      p.provisioning = () => "completed";
    }
  },
});

Deno.test({ ...opts, name: "teardown", fn: () => p.stop() });
