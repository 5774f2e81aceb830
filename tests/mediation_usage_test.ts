/**
 * TMF635 usage through HTTP: accepted usage (row + `usage.recorded` with the docs/flows.md §5.1
 * payload), every docs/domain.md §4.5 rule in its order (nothing persisted; `usage.rejected` for
 * the existence and active rules), validation, reads and the list filters. The subscription
 * service's by-MSISDN answer is an in-test lookup.
 */
import assert from "node:assert/strict";
import type { Line } from "../actors/mediation/model.ts";
import { clock } from "../kernel/clock.ts";
import * as mediation from "../http/mediation/index.ts";
import { eventsOf, expectStatus, expectViolation } from "./support/crm.ts";
import { freshDatabase } from "./support/db.ts";
import { CLI_TOKEN, serveTest, testConfig } from "./support/http.ts";

const db = await freshDatabase("mediation_usage");
await clock.refresh(db.sql);

const line = (n: number, state: string, msisdn = `9000000${n}`): Line => ({
  id: `SUB-000${n}`,
  state,
  offeringId: "PLAN_M",
  customerId: `CUST-0000000${n}`,
  msisdn,
});
// 90000004's lookup answers a subscription that owns another number.
const LINES = new Map<string, Line>([
  ["90000001", line(1, "active")],
  ["90000002", line(2, "blocked")],
  ["90000003", line(3, "pending")],
  ["90000004", line(4, "active", "90000044")],
  ["90000005", line(5, "active")],
]);
const lookups: string[] = [];
const server = serveTest({
  sql: db.sql,
  service: "mediation",
  endpoints: mediation.endpoints({ config: testConfig(), sql: db.sql }, {
    subscriptionByMsisdn: (msisdn) => {
      lookups.push(msisdn);
      return Promise.resolve(LINES.get(msisdn) ?? null);
    },
  }),
});
const USAGE = "/tmf-api/usageManagement/v4/usage";

const post = (json: unknown, headers: Record<string, string> = {}) =>
  server.request(USAGE, { method: "POST", json, headers });
const usage = (overrides: Record<string, unknown> = {}) => ({
  msisdn: "90000001",
  eventType: "data",
  eventTime: "2026-03-01T10:00:00Z",
  quantity: 120,
  unit: "mb",
  ...overrides,
});

async function rowCount(msisdn: string): Promise<number> {
  const [{ n }] = await db.sql`
    select count(*)::int as n from mediation.usage_event where msisdn = ${msisdn}`;
  return n;
}
const usageEvents = (aggregateId: string) => eventsOf(db.sql, aggregateId);
async function eventCount(): Promise<number> {
  const [{ n }] = await db.sql`select count(*)::int as n from audit.domain_event`;
  return n;
}

/** Posts `body`, expects `rule`, and checks that nothing but `rejections` events was written. */
async function rejected(body: unknown, rule: string, rejections = 0) {
  const msisdn = (body as { msisdn: string }).msisdn;
  const [rows, events] = [await rowCount(msisdn), await eventCount()];
  const context = await expectViolation(post(body), rule);
  assert.equal(await rowCount(msisdn), rows, "no usage row");
  assert.equal(await eventCount(), events + rejections, "events written");
  return context;
}

Deno.test("accepted usage: 201, Location, TMF635 shape, row and usage.recorded", async () => {
  const r = await post(
    usage({ source: "simulator", rawCdrRef: "CDR-1", roamingIndicator: true }),
    { "x-bss-api-token": CLI_TOKEN, "x-bss-actor": "cli-user", "x-bss-channel": "cli" },
  );
  const body = await expectStatus(r, 201);
  assert.match(body.id, /^UE-\d{6}$/);
  assert.equal(r.headers.get("location"), `${USAGE}/${body.id}`);
  assert.deepEqual(body, {
    "@type": "Usage",
    "@schemaLocation": `${server.url}/tmf-api/schema/Usage.schema.json`,
    id: body.id,
    href: `${server.url}${USAGE}/${body.id}`,
    usageDate: "2026-03-01T10:00:00.000Z",
    usageType: "data",
    status: "received",
    usageCharacteristic: [
      { name: "quantity", valueType: "integer", value: 120 },
      { name: "unit", valueType: "string", value: "mb" },
      { name: "msisdn", valueType: "string", value: "90000001" },
      { name: "roamingIndicator", valueType: "boolean", value: true },
    ],
    msisdn: "90000001",
    subscriptionId: "SUB-0001",
    eventType: "data",
    eventTime: "2026-03-01T10:00:00.000Z",
    quantity: 120,
    unit: "mb",
    source: "simulator",
    rawCdrRef: "CDR-1",
    processed: false,
    roamingIndicator: true,
  });
  assert.deepEqual(await expectStatus(server.request(`${USAGE}/${body.id}`), 200), body);
  const events = await usageEvents(body.id);
  assert.deepEqual(events.map((e) => e.event_type), ["usage.recorded"]);
  assert.deepEqual(events[0].payload, {
    usageEventId: body.id,
    subscriptionId: "SUB-0001",
    msisdn: "90000001",
    eventType: "data",
    eventTime: "2026-03-01T10:00:00.000Z",
    quantity: 120,
    unit: "mb",
    source: "simulator",
    rawCdrRef: "CDR-1",
    roamingIndicator: true,
    offeringId: "PLAN_M",
  });
  assert.deepEqual(
    [events[0].aggregate_type, events[0].actor, events[0].channel],
    ["usage", "cli-user", "cli"],
  );
});

Deno.test("snake_case keys are accepted; optional fields default", async () => {
  const body = await expectStatus(
    post({
      msisdn: "90000005",
      event_type: "voice_minutes",
      event_time: "2026-03-01T11:00:00+08:00",
      quantity: 3,
      unit: "minutes",
      raw_cdr_ref: "CDR-2",
    }),
    201,
  );
  assert.deepEqual(
    [body.eventType, body.eventTime, body.rawCdrRef, body.source, body.roamingIndicator],
    ["voice_minutes", "2026-03-01T03:00:00.000Z", "CDR-2", undefined, false],
  );
});

Deno.test("rule 1, usage.record.positive_quantity, runs first", async () => {
  const before = lookups.length;
  for (const quantity of [0, -5]) {
    // A bad type, an unknown line: the quantity rule still answers first.
    const context = await rejected(
      usage({ msisdn: "90000999", eventType: "mms", quantity }),
      "usage.record.positive_quantity",
    );
    assert.deepEqual(context, { quantity });
  }
  // On a blocked line too: no lookup happens before the record's own rules pass.
  await rejected(usage({ msisdn: "90000002", quantity: 0 }), "usage.record.positive_quantity");
  assert.equal(lookups.length, before);
});

Deno.test("rule 2, usage.record.valid_event_type, before any lookup", async () => {
  const before = lookups.length;
  const context = await rejected(
    usage({ msisdn: "90000999", eventType: "mms" }),
    "usage.record.valid_event_type",
  );
  assert.deepEqual(context, {
    event_type: "mms",
    valid_types: ["data", "voice", "voice_minutes", "sms"],
  });
  assert.equal(lookups.length, before);
});

Deno.test("rule 3, usage.record.subscription_must_exist: 422, usage.rejected, no row", async () => {
  const context = await rejected(
    usage({ msisdn: "90000999", source: "cli" }),
    "usage.record.subscription_must_exist",
    1,
  );
  assert.deepEqual(context, { msisdn: "90000999" });
  const [event] = await usageEvents("90000999");
  assert.equal(event.event_type, "usage.rejected");
  const { rejectedAt, ...payload } = event.payload;
  assert.ok(!Number.isNaN(Date.parse(String(rejectedAt))));
  assert.deepEqual(payload, {
    msisdn: "90000999",
    subscriptionId: null,
    state: null,
    eventType: "data",
    eventTime: "2026-03-01T10:00:00.000Z",
    quantity: 120,
    unit: "mb",
    source: "cli",
    rawCdrRef: null,
    reason: "usage.record.subscription_must_exist",
  });
});

Deno.test("rule 4, usage.record.msisdn_belongs_to_subscription: 422, nothing written", async () => {
  const context = await rejected(
    usage({ msisdn: "90000004" }),
    "usage.record.msisdn_belongs_to_subscription",
  );
  assert.deepEqual(context, {
    request_msisdn: "90000004",
    subscription_msisdn: "90000044",
    subscription_id: "SUB-0004",
  });
});

Deno.test("rule 5, usage.record.subscription_must_be_active: blocked and pending lines", async () => {
  for (
    const [msisdn, id, state] of [["90000002", "SUB-0002", "blocked"], [
      "90000003",
      "SUB-0003",
      "pending",
    ]]
  ) {
    const context = await rejected(
      usage({ msisdn, eventType: "sms", quantity: 1, unit: "count" }),
      "usage.record.subscription_must_be_active",
      1,
    );
    assert.deepEqual(context, { subscription_id: id, state });
    const events = await usageEvents(id);
    assert.deepEqual(events.map((e) => e.event_type), ["usage.rejected"]);
    assert.deepEqual(
      [events[0].payload.subscriptionId, events[0].payload.state, events[0].payload.reason],
      [id, state, "usage.record.subscription_must_be_active"],
    );
  }
});

Deno.test("schema errors are 422 VALIDATION_ERROR, bad JSON 400; nothing written", async () => {
  const events = await eventCount();
  const bad = [
    {},
    usage({ msisdn: undefined }),
    usage({ msisdn: "not-a-number" }),
    usage({ eventTime: "yesterday" }),
    usage({ eventTime: undefined }),
    usage({ quantity: 1.5 }),
    usage({ quantity: "12" }),
    usage({ unit: "gb" }),
    usage({ eventType: "" }),
    usage({ roamingIndicator: "yes" }),
  ];
  for (const body of bad) {
    const reply = await expectStatus(post(body), 422);
    assert.equal(reply.code, "VALIDATION_ERROR", JSON.stringify(body));
  }
  const malformed = await server.request(USAGE, {
    method: "POST",
    body: "{",
    headers: { "content-type": "application/json" },
  });
  assert.equal((await expectStatus(malformed, 400)).code, "MALFORMED_JSON");
  assert.equal(await eventCount(), events);
});

Deno.test("GET usage/{id}: unknown id is 404", async () => {
  assert.equal((await expectStatus(server.request(`${USAGE}/UE-999999`), 404)).code, "NOT_FOUND");
});

Deno.test("GET usage: filters, newest event time first, limit", async () => {
  for (
    const [hour, eventType, unit] of [[1, "data", "mb"], [3, "sms", "count"], [2, "data", "mb"]]
  ) {
    await expectStatus(
      post(usage({
        msisdn: "90000005",
        eventType,
        unit,
        eventTime: `2026-04-01T0${hour}:00:00Z`,
      })),
      201,
    );
  }
  const list = async (query: string) =>
    (await expectStatus(server.request(`${USAGE}?${query}`), 200)) as Array<
      { eventTime: string; eventType: string; msisdn: string }
    >;
  const since = "since=2026-04-01T00:00:00Z";
  const times = (rows: Array<{ eventTime: string }>) => rows.map((u) => u.eventTime.slice(11, 13));
  assert.deepEqual(times(await list(`msisdn=90000005&${since}`)), ["03", "02", "01"]);
  assert.deepEqual(times(await list(`subscriptionId=SUB-0005&type=data&${since}`)), ["02", "01"]);
  assert.deepEqual(times(await list(`msisdn=90000005&${since}&limit=1`)), ["03"]);
  assert.deepEqual(await list("subscriptionId=SUB-0009"), []);
  const all = await list("");
  assert.ok(all.length >= 5);
  assert.deepEqual(
    all.map((u) => u.eventTime),
    all.map((u) => u.eventTime).sort().reverse(),
  );
  for (const query of ["limit=0", "limit=1001", "since=soon"]) {
    assert.equal(
      (await expectStatus(server.request(`${USAGE}?${query}`), 422)).code,
      "VALIDATION_ERROR",
    );
  }
});

Deno.test({
  name: "teardown",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await server.stop();
    await db.drop();
  },
});
