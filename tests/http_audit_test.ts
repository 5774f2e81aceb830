/**
 * `GET /audit-api/v1/events`: every filter, ordering, limits, the reply shape, and which
 * services mount it (all but catalog).
 */
import assert from "node:assert/strict";
import { stageEvent, writeEvents } from "../kernel/events.ts";
import { freshDatabase } from "./support/db.ts";
import { reply, serveTest } from "./support/http.ts";

const db = await freshDatabase("http_audit");
const server = serveTest({ sql: db.sql, service: "subscription" });

// Five events at known instants, from two identities.
const at = (day: number) => new Date(Date.UTC(2030, 0, day));
const rows: Array<
  [type: string, aggregateType: string, aggregateId: string, day: number, id: string]
> = [
  ["order.created", "order", "ORD-0001", 1, "default"],
  ["order.completed", "order", "ORD-0001", 2, "default"],
  ["subscription.activated", "subscription", "SUB-0001", 3, "default"],
  ["order.created", "order", "ORD-0002", 4, "portal_self_serve"],
  ["customer.created", "customer", "CUST-0001", 5, "portal_self_serve"],
];
const staged = rows.map(([type, aggregateType, aggregateId, day, serviceIdentity]) => ({
  ...stageEvent(
    { type, aggregateType, aggregateId, payload: { day } },
    { actor: "tester", channel: "cli", serviceIdentity, tenant: "DEFAULT" },
  ),
  occurredAt: at(day),
}));
await writeEvents(db.sql, staged);

async function events(query: string) {
  const r = await reply(await server.request(`/audit-api/v1/events${query}`));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.count, r.body.events.length);
  return r.body.events as Array<Record<string, unknown>>;
}
const days = (list: Array<Record<string, unknown>>) =>
  list.map((e) => (e.payload as { day: number }).day);

Deno.test("all events, oldest first, in the documented shape", async () => {
  const list = await events("");
  assert.deepEqual(days(list), [1, 2, 3, 4, 5]);
  assert.deepEqual(list[0], {
    eventId: staged[0].eventId,
    eventType: "order.created",
    aggregateType: "order",
    aggregateId: "ORD-0001",
    occurredAt: "2030-01-01T00:00:00.000Z",
    traceId: null,
    actor: "tester",
    channel: "cli",
    tenantId: "DEFAULT",
    serviceIdentity: "default",
    payload: { day: 1 },
    schemaVersion: 1,
    publishedToMq: false,
  });
});

Deno.test("each filter narrows, and filters combine", async () => {
  assert.deepEqual(days(await events("?aggregateType=order")), [1, 2, 4]);
  assert.deepEqual(days(await events("?aggregateType=order&aggregateId=ORD-0001")), [1, 2]);
  assert.deepEqual(days(await events("?eventType=order.created")), [1, 4]);
  assert.deepEqual(days(await events("?eventTypePrefix=order.")), [1, 2, 4]);
  assert.deepEqual(days(await events("?serviceIdentity=portal_self_serve")), [4, 5]);
  assert.deepEqual(days(await events("?occurredSince=2030-01-02T00:00:00Z")), [2, 3, 4, 5]);
  assert.deepEqual(days(await events("?occurredUntil=2030-01-02")), [1, 2]);
  assert.deepEqual(
    days(await events("?occurredSince=2030-01-02&occurredUntil=2030-01-04&eventTypePrefix=order")),
    [2, 4],
  );
});

Deno.test("a prefix is literal, not a pattern", async () => {
  assert.deepEqual(await events("?eventTypePrefix=%25"), []);
  assert.deepEqual(await events("?eventTypePrefix=_rder"), []);
});

Deno.test("limit caps the count and keeps the oldest", async () => {
  assert.deepEqual(days(await events("?limit=2")), [1, 2]);
});

Deno.test("a limit outside 1..1000 is a validation error", async () => {
  for (const limit of ["0", "1001", "abc", "2.5"]) {
    const r = await reply(await server.request(`/audit-api/v1/events?limit=${limit}`));
    assert.deepEqual([r.status, r.body.code], [422, "VALIDATION_ERROR"], limit);
  }
});

Deno.test("a bad timestamp is 422 INVALID_TIMESTAMP", async () => {
  for (const q of ["occurredSince=soon", "occurredUntil=2030-99-01"]) {
    const r = await reply(await server.request(`/audit-api/v1/events?${q}`));
    assert.deepEqual([r.status, r.body.code], [422, "INVALID_TIMESTAMP"], q);
  }
});

Deno.test("catalog does not mount the audit route; the others do", async () => {
  const catalog = serveTest({ sql: db.sql, service: "catalog" });
  const crm = serveTest({ sql: db.sql, service: "crm" });
  try {
    const missing = await catalog.request("/audit-api/v1/events");
    await missing.body?.cancel();
    assert.equal(missing.status, 404);
    const present = await crm.request("/audit-api/v1/events");
    await present.body?.cancel();
    assert.equal(present.status, 200);
  } finally {
    await catalog.stop();
    await crm.stop();
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
