/**
 * The usage path end to end (docs/flows.md §2), brokerless: a usage record accepted by mediation
 * emits `usage.recorded`; the bridge delivers it on `rating.usage.recorded` to the rating
 * actor, which reads the tariff from the real catalog service (seeded) and emits
 * `usage.rated`, or rating's `usage.rejected`. The subscription lookup is in-test.
 */
import assert from "node:assert/strict";
import { startBridge } from "../actors/bridge/bridge.ts";
import { seedReferenceData } from "../actors/catalog/seed.ts";
import type { Line } from "../actors/mediation/model.ts";
import { ActorSystem } from "../actors/runtime/system.ts";
import { clock } from "../kernel/clock.ts";
import * as catalog from "../http/catalog/index.ts";
import * as mediation from "../http/mediation/index.ts";
import * as rating from "../http/rating/index.ts";
import { waitFor } from "./support/bridge.ts";
import { eventsOf, expectStatus } from "./support/crm.ts";
import { freshDatabase } from "./support/db.ts";
import { serveTest, testConfig } from "./support/http.ts";

const db = await freshDatabase("rating_flow");
await clock.refresh(db.sql);
await seedReferenceData(db.sql);
const catalogServer = serveTest({
  sql: db.sql,
  service: "catalog",
  endpoints: catalog.endpoints(db),
});
const config = testConfig({
  BSS_CATALOG_URL: catalogServer.url,
  BSS_OUTBOX_RELAY_INTERVAL_MS: "50",
});
const system = new ActorSystem(db.sql, { pollMs: 20, workers: 1 });
for (const kind of rating.kinds(config)) system.register(kind);
await system.start();
const bridge = await startBridge({ sql: db.sql, config, bindings: rating.bindings });

const LINES = new Map<string, Line>(
  ([["90000010", "PLAN_M"], ["90000011", "PLAN_S"], ["90000012", "PLAN_GONE"]] as const).map((
    [msisdn, offeringId],
  ) => [msisdn, {
    id: `SUB-${msisdn.slice(-4)}`,
    state: "active",
    offeringId,
    customerId: "CUST-00000001",
    msisdn,
  }]),
);
const server = serveTest({
  sql: db.sql,
  service: "mediation",
  endpoints: mediation.endpoints({ config, sql: db.sql }, {
    subscriptionByMsisdn: (msisdn) => Promise.resolve(LINES.get(msisdn) ?? null),
  }),
});

/** Records usage through mediation and returns its id. */
async function record(body: Record<string, unknown>): Promise<string> {
  const usage = await expectStatus(
    server.request("/tmf-api/usageManagement/v4/usage", {
      method: "POST",
      json: { eventTime: "2026-03-01T10:00:00Z", ...body },
    }),
    201,
  );
  return usage.id;
}

/** Rating's answer for usage `id`: the event after `usage.recorded`, once there is one. */
async function ratingOutcome(id: string) {
  let events: Awaited<ReturnType<typeof eventsOf>> = [];
  await waitFor(async () => {
    events = await eventsOf(db.sql, id);
    return events.length >= 2;
  }, `rating of ${id}`);
  assert.deepEqual(events.length, 2, JSON.stringify(events));
  assert.equal(events[0].event_type, "usage.recorded");
  return events[1];
}

Deno.test("data usage → usage.rated with the docs/flows.md §5.1 payload", async () => {
  const id = await record({ msisdn: "90000010", eventType: "data", quantity: 120, unit: "mb" });
  const rated = await ratingOutcome(id);
  assert.deepEqual([rated.event_type, rated.aggregate_type], ["usage.rated", "usage"]);
  assert.deepEqual(rated.payload, {
    usageEventId: id,
    subscriptionId: "SUB-0010",
    allowanceType: "data",
    consumedQuantity: 120,
    unit: "mb",
    chargeAmount: "0",
    currency: "SGD",
    offeringId: "PLAN_M",
  });
});

Deno.test("roaming data → data_roaming (PLAN_S's zero row counts); roaming voice stays home", async () => {
  const data = await record({
    msisdn: "90000011",
    eventType: "data",
    quantity: 30,
    unit: "mb",
    roamingIndicator: true,
  });
  const voice = await record({
    msisdn: "90000011",
    eventType: "voice_minutes",
    quantity: 4,
    unit: "minutes",
    roamingIndicator: true,
  });
  const [d, v] = [await ratingOutcome(data), await ratingOutcome(voice)];
  assert.deepEqual(
    [d.event_type, d.payload.allowanceType, d.payload.consumedQuantity, d.payload.offeringId],
    ["usage.rated", "data_roaming", 30, "PLAN_S"],
  );
  assert.deepEqual([v.event_type, v.payload.allowanceType, v.payload.unit], [
    "usage.rated",
    "voice",
    "minutes",
  ]);
});

Deno.test("a line's usage is rated in the order it was recorded", async () => {
  const ids: string[] = [];
  for (const quantity of [1, 2, 3, 4]) {
    ids.push(await record({ msisdn: "90000010", eventType: "sms", quantity, unit: "count" }));
  }
  for (const id of ids) await ratingOutcome(id);
  const rated = await db.sql<{ id: string }[]>`
    select aggregate_id as id from audit.domain_event
    where event_type = 'usage.rated' and aggregate_id in ${db.sql(ids)} order by id`;
  assert.deepEqual(rated.map((r) => r.id), ids);
});

Deno.test("what the tariff cannot rate → rating's usage.rejected with the reason", async () => {
  const wrongUnit = await record({ msisdn: "90000010", eventType: "sms", quantity: 1, unit: "mb" });
  const unknownOffering = await record({
    msisdn: "90000012",
    eventType: "data",
    quantity: 1,
    unit: "mb",
  });
  const rejected = await ratingOutcome(wrongUnit);
  assert.deepEqual([rejected.event_type, rejected.aggregate_type], ["usage.rejected", "usage"]);
  assert.deepEqual(rejected.payload, {
    usageEventId: wrongUnit,
    subscriptionId: "SUB-0010",
    msisdn: "90000010",
    eventType: "sms",
    reason: "rating.unit_mismatch",
    offeringId: "PLAN_M",
  });
  const unknown = await ratingOutcome(unknownOffering);
  assert.deepEqual(
    [unknown.event_type, unknown.payload.reason, unknown.payload.offeringId],
    ["usage.rejected", "rating.unknown_offering", "PLAN_GONE"],
  );
});

Deno.test({
  name: "teardown",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await server.stop();
    await system.stop();
    await bridge.stop();
    await catalogServer.stop();
    await db.drop();
  },
});
