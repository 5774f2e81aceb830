/**
 * The MSISDN pool over HTTP (`/inventory-api/v1/msisdn`): seed, list with status, prefix and
 * golden-pattern filters, count, get, reserve, reserve-next, assign, release into a 90-day
 * quarantine on the BSS clock, add-range, the pool-low event, and every msisdn.* rule.
 * Tests that need a pool of their own use their own tenant (a token of that tenant).
 */
import assert from "node:assert/strict";
import { seedReferenceData } from "../actors/inventory/seed.ts";
import { endpoints } from "../http/inventory/index.ts";
import { freshDatabase } from "./support/db.ts";
import {
  asTenant,
  CLI_TOKEN,
  reply,
  serveTest,
  testConfig,
  type TestTenant,
} from "./support/http.ts";
import { ok, violation } from "./support/assert.ts";

const db = await freshDatabase("inventory_msisdn");
await seedReferenceData(db.sql);
const env = { BSS_ALLOW_ADMIN_RESET: "yes" };
const server = serveTest({
  sql: db.sql,
  env,
  endpoints: endpoints({ config: testConfig(env), sql: db.sql }),
});
const T0 = "2030-01-01T00:00:00.000Z";
await server.request("/admin-api/v1/clock/freeze", { method: "POST", json: { at: T0 } })
  .then((r) => r.body?.cancel());

interface Call {
  json?: unknown;
  tenant?: TestTenant;
}

/** Calls an inventory route as actor `tester` on channel `cli`. */
async function call(method: string, path: string, { json, tenant }: Call = {}) {
  const headers: Record<string, string> = {
    "x-bss-api-token": CLI_TOKEN,
    "x-bss-actor": "tester",
    "x-bss-channel": "cli",
    ...tenant && asTenant(tenant),
  };
  return await reply(await server.request(`/inventory-api/v1${path}`, { method, json, headers }));
}
const get = (path: string, tenant?: TestTenant) => call("GET", path, { tenant });
const post = (path: string, json?: unknown, tenant?: TestTenant) =>
  call("POST", path, { json, tenant });

const numbers = (list: Array<{ msisdn: string }>) => list.map((m) => m.msisdn);

async function events(type: string, aggregateId?: string) {
  const q = new URLSearchParams({ eventType: type, ...aggregateId && { aggregateId } });
  const r = await reply(await server.request(`/audit-api/v1/events?${q}`));
  return r.body.events as Array<Record<string, unknown>>;
}

Deno.test("seed 90000000–90000999 available; count keys always present", async () => {
  assert.deepEqual(ok(await get("/msisdn/count")), {
    available: 1000,
    reserved: 0,
    assigned: 0,
    quarantine: 0,
    ported_out: 0,
    total: 1000,
    prefix: null,
  });
  assert.deepEqual(ok(await get("/msisdn/count?prefix=9")).total, 1000);
  assert.deepEqual(ok(await get("/msisdn/count?prefix=900001")).total, 100);
  assert.deepEqual(ok(await get("/msisdn/count?prefix=8", "NOBODY")), {
    available: 0,
    reserved: 0,
    assigned: 0,
    quarantine: 0,
    ported_out: 0,
    total: 0,
    prefix: "8",
  });
  const last = ok(await get("/msisdn/90000999"));
  assert.deepEqual(last, {
    msisdn: "90000999",
    status: "available",
    reserved_at: null,
    assigned_to_subscription_id: null,
    quarantine_until: null,
  });
  assert.equal((await get("/msisdn/90001000")).status, 404);
});

Deno.test("list: number order, paging, prefix and status filters", async () => {
  const page = ok(await get("/msisdn"));
  assert.equal(page.length, 20);
  assert.deepEqual(numbers(page).slice(0, 2), ["90000000", "90000001"]);
  assert.deepEqual(numbers(ok(await get("/msisdn?limit=2&offset=5"))), ["90000005", "90000006"]);
  assert.deepEqual(
    numbers(ok(await get("/msisdn?prefix=9000099&limit=100"))),
    ["90000990", "90000991", "90000992", "90000993", "90000994"].concat(
      ["90000995", "90000996", "90000997", "90000998", "90000999"],
    ),
  );
  assert.deepEqual(ok(await get("/msisdn?status=ported_out")), []);
});

Deno.test("list: bad filters are validation errors", async () => {
  for (
    const q of [
      "status=free",
      "prefix=9x",
      "pattern=lucky",
      "limit=0",
      "limit=1001",
      "offset=-1",
      "limit=two",
    ]
  ) {
    const r = await get(`/msisdn?${q}`);
    assert.deepEqual([r.status, r.body.code], [422, "VALIDATION_ERROR"], q);
  }
});

Deno.test("golden patterns: repeated, ascending and descending last four digits", async () => {
  const T = "GOLD";
  ok(await post("/msisdn/add-range", { prefix: "8123", count: 10000 }, T), 201);
  const list = async (pattern: string, extra = "") =>
    numbers(ok(await get(`/msisdn?pattern=${pattern}&limit=1000${extra}`, T)));
  const repeated = Array.from({ length: 10 }, (_, d) => `8123${String(d).repeat(4)}`);
  const ascending = ["0123", "1234", "2345", "3456", "4567", "5678", "6789"].map((s) => `8123${s}`);
  const descending = ["3210", "4321", "5432", "6543", "7654", "8765", "9876"].map((s) =>
    `8123${s}`
  );
  assert.deepEqual(await list("repeated"), repeated);
  assert.deepEqual(await list("ascending"), ascending);
  assert.deepEqual(await list("descending"), descending);
  assert.deepEqual(await list("golden"), [...repeated, ...ascending, ...descending].sort());
  // Patterns combine with the other filters.
  ok(await post("/msisdn/81231111/reserve", undefined, T));
  assert.deepEqual(await list("repeated", "&status=reserved"), ["81231111"]);
  assert.deepEqual(await list("golden", "&prefix=81236"), ["81236543", "81236666", "81236789"]);
  // The seeded range has two: 90000000 and 90000123.
  assert.deepEqual(numbers(ok(await get("/msisdn?pattern=golden"))), ["90000000", "90000123"]);
});

Deno.test("reserve a given number: reserved at the BSS instant; twice is a violation", async () => {
  const reserved = ok(await post("/msisdn/90000500/reserve"));
  assert.deepEqual(reserved, {
    msisdn: "90000500",
    status: "reserved",
    reserved_at: T0,
    assigned_to_subscription_id: null,
    quarantine_until: null,
  });
  violation(
    await post("/msisdn/90000500/reserve"),
    "msisdn.reserve.status_must_be_available",
    { msisdn: "90000500" },
  );
  assert.equal((await post("/msisdn/90009999/reserve")).status, 404);
  const bad = await post("/msisdn/12ab/reserve");
  assert.deepEqual([bad.status, bad.body.code], [422, "VALIDATION_ERROR"]);
});

Deno.test("reserve-next: the lowest available, or the preference when it is free", async () => {
  const T = "NEXT";
  ok(await post("/msisdn/add-range", { prefix: "7000", count: 5 }, T), 201);
  const raw = await server.request("/inventory-api/v1/msisdn/reserve-next", {
    method: "POST",
    headers: asTenant(T),
  });
  const first = ok(await reply(raw), 201);
  assert.equal(first.msisdn, "70000000");
  assert.equal(raw.headers.get("location"), "/inventory-api/v1/msisdn/70000000");
  assert.equal(
    ok(await post("/msisdn/reserve-next", { preference: "70000003" }, T), 201).msisdn,
    "70000003",
  );
  // A preference that is taken (or unknown) falls back to the lowest available.
  assert.equal(
    ok(await post("/msisdn/reserve-next", { preference: "70000003" }, T), 201).msisdn,
    "70000001",
  );
  assert.equal(
    ok(await post("/msisdn/reserve-next", { preference: null }, T), 201).msisdn,
    "70000002",
  );
  assert.equal(ok(await post("/msisdn/reserve-next", {}, T), 201).msisdn, "70000004");
  violation(
    await post("/msisdn/reserve-next", undefined, T),
    "msisdn.reserve.no_available",
    { preference: null },
  );
  violation(
    await post("/msisdn/reserve-next", { preference: "70000000" }, T),
    "msisdn.reserve.no_available",
    { preference: "70000000" },
  );
  const bad = await post("/msisdn/reserve-next", { preference: "seven" }, T);
  assert.deepEqual([bad.status, bad.body.code], [422, "VALIDATION_ERROR"]);
});

Deno.test("assign: reserved → assigned, linked to a subscription; only from reserved", async () => {
  violation(await post("/msisdn/90000600/assign"), "msisdn.assign.must_be_reserved", {
    msisdn: "90000600",
    status: "available",
    assigned_to_subscription_id: null,
  });
  ok(await post("/msisdn/90000600/reserve"));
  const assigned = ok(await post("/msisdn/90000600/assign", { subscription_id: "SUB-0001" }));
  assert.equal(assigned.status, "assigned");
  assert.equal(assigned.assigned_to_subscription_id, "SUB-0001");
  assert.equal(assigned.reserved_at, T0);
  // Repeating the assignment (with or without the id) is harmless …
  assert.equal(
    ok(await post("/msisdn/90000600/assign", { subscription_id: "SUB-0001" })).status,
    "assigned",
  );
  assert.equal(ok(await post("/msisdn/90000600/assign")).assigned_to_subscription_id, "SUB-0001");
  // … taking it for another subscription is not.
  violation(
    await post("/msisdn/90000600/assign", { subscription_id: "SUB-0002" }),
    "msisdn.assign.must_be_reserved",
    { msisdn: "90000600", status: "assigned", assigned_to_subscription_id: "SUB-0001" },
  );
  assert.equal((await post("/msisdn/90009999/assign")).status, 404);
  const bad = await post("/msisdn/90000600/assign", { subscription_id: 7 });
  assert.deepEqual([bad.status, bad.body.code], [422, "VALIDATION_ERROR"]);
});

Deno.test("release: a reserved number is free at once", async () => {
  ok(await post("/msisdn/90000700/reserve"));
  assert.deepEqual(ok(await post("/msisdn/90000700/release")), {
    msisdn: "90000700",
    status: "available",
    reserved_at: null,
    assigned_to_subscription_id: null,
    quarantine_until: null,
  });
  violation(
    await post("/msisdn/90000700/release"),
    "msisdn.release.only_if_reserved_or_assigned",
    { msisdn: "90000700", status: "available" },
  );
  assert.equal((await post("/msisdn/90009999/release")).status, 404);
});

Deno.test("a ported-out number is never released nor reserved", async () => {
  await db.sql`update inventory.msisdn_pool set status = 'ported_out',
    quarantine_until = '9999-12-31' where msisdn = '90000800'`;
  violation(await post("/msisdn/90000800/release"), "msisdn.release.terminal_status", {
    msisdn: "90000800",
    status: "ported_out",
  });
  violation(await post("/msisdn/90000800/reserve"), "msisdn.reserve.status_must_be_available", {
    msisdn: "90000800",
  });
  assert.deepEqual(numbers(ok(await get("/msisdn?status=ported_out"))), ["90000800"]);
});

Deno.test("release of an assigned number: 90 days of quarantine on the BSS clock", async () => {
  const T = "QUAR";
  ok(await post("/msisdn/add-range", { prefix: "6000", count: 2 }, T), 201);
  ok(await post("/msisdn/60000000/reserve", undefined, T));
  ok(await post("/msisdn/60000000/assign", { subscription_id: "SUB-0009" }, T));
  const released = ok(await post("/msisdn/60000000/release", undefined, T));
  const until = "2030-04-01T00:00:00.000Z"; // T0 + 90 days
  assert.deepEqual(released, {
    msisdn: "60000000",
    status: "quarantine",
    reserved_at: null,
    assigned_to_subscription_id: null,
    quarantine_until: until,
  });
  const count = ok(await get("/msisdn/count", T));
  assert.deepEqual([count.available, count.quarantine], [1, 1]);
  // Quarantined: not reservable, skipped by reserve-next even when preferred, not releasable.
  violation(
    await post("/msisdn/60000000/reserve", undefined, T),
    "msisdn.reserve.status_must_be_available",
    { msisdn: "60000000" },
  );
  violation(
    await post("/msisdn/60000000/release", undefined, T),
    "msisdn.release.only_if_reserved_or_assigned",
    { msisdn: "60000000", status: "quarantine" },
  );
  const next = ok(await post("/msisdn/reserve-next", { preference: "60000000" }, T), 201);
  assert.equal(next.msisdn, "60000001");
  violation(await post("/msisdn/reserve-next", undefined, T), "msisdn.reserve.no_available", {
    preference: null,
  });

  // One second before the end it still rests …
  const advance = (duration: string) =>
    server.request("/admin-api/v1/clock/advance", { method: "POST", json: { duration } })
      .then((r) => r.body?.cancel());
  await advance("89d");
  await advance("86399s");
  assert.equal(ok(await get("/msisdn/60000000", T)).status, "quarantine");
  // … and at quarantine_until it is available again, without anything having to run.
  await advance("1s");
  assert.equal(ok(await get("/msisdn/60000000", T)).status, "available");
  assert.deepEqual(numbers(ok(await get("/msisdn?status=available", T))), ["60000000"]);
  assert.equal(ok(await get("/msisdn/count", T)).quarantine, 0);
  const again = ok(await post("/msisdn/reserve-next", undefined, T), 201);
  assert.deepEqual([again.msisdn, again.status, again.quarantine_until], [
    "60000000",
    "reserved",
    null,
  ]);
  assert.equal(again.reserved_at, until);
});

Deno.test("add-range: <prefix><NNNN>, idempotent on overlap, range_added event", async () => {
  const T = "RANGE";
  assert.deepEqual(ok(await post("/msisdn/add-range", { prefix: "5000", count: 10 }, T), 201), {
    prefix: "5000",
    count: 10,
    inserted: 10,
    skipped: 0,
    first: "50000000",
    last: "50000009",
  });
  ok(await post("/msisdn/50000002/reserve", undefined, T));
  const overlap = ok(await post("/msisdn/add-range", { prefix: "5000", count: 15 }, T), 201);
  assert.deepEqual([overlap.inserted, overlap.skipped, overlap.last], [5, 10, "50000014"]);
  const count = ok(await get("/msisdn/count?prefix=5000", T));
  assert.deepEqual([count.total, count.available, count.reserved], [15, 14, 1]);
  // A seven-digit prefix gives eleven-digit numbers.
  const long = ok(await post("/msisdn/add-range", { prefix: "6512345", count: 1 }, T), 201);
  assert.equal(long.first, "65123450000");

  const all = await events("inventory.msisdn.range_added", "5000");
  assert.deepEqual(all.map((e) => e.payload), [
    { prefix: "5000", count: 10, inserted: 10, skipped: 0, first: "50000000", last: "50000009" },
    { prefix: "5000", count: 15, inserted: 5, skipped: 10, first: "50000000", last: "50000014" },
  ]);
  assert.deepEqual(
    [all[0].aggregateType, all[0].actor, all[0].channel, all[0].serviceIdentity, all[0].tenantId],
    ["msisdn_pool", "tester", "cli", "tenant_range", T],
  );
});

Deno.test("add-range: msisdn.add_range.sane_prefix for digits, length and count", async () => {
  const rule = "msisdn.add_range.sane_prefix";
  violation(await post("/msisdn/add-range", { prefix: "12a4", count: 1 }), rule, {
    prefix: "12a4",
  });
  violation(await post("/msisdn/add-range", { prefix: "123", count: 1 }), rule, {
    prefix: "123",
    length: 3,
  });
  violation(await post("/msisdn/add-range", { prefix: "12345678", count: 1 }), rule, {
    prefix: "12345678",
    length: 8,
  });
  violation(await post("/msisdn/add-range", { prefix: "1234", count: 0 }), rule, { count: 0 });
  violation(await post("/msisdn/add-range", { prefix: "1234", count: 10001 }), rule, {
    count: 10001,
  });
  for (
    const json of [{ prefix: "1234" }, { prefix: 1234, count: 1 }, { prefix: "1234", count: 1.5 }]
  ) {
    const r = await post("/msisdn/add-range", json);
    assert.deepEqual([r.status, r.body.code], [422, "VALIDATION_ERROR"], JSON.stringify(json));
  }
  assert.equal(ok(await get("/msisdn/count?prefix=1234")).total, 0);
});

Deno.test("pool_low: emitted when a reservation leaves the tenant at or below 50", async () => {
  const T = "LOW";
  ok(await post("/msisdn/add-range", { prefix: "4000", count: 3 }, T), 201);
  const r = await call("POST", "/msisdn/reserve-next", { tenant: T });
  ok(r, 201);
  const [event, ...more] = await events("inventory.msisdn.pool_low", T);
  assert.deepEqual(more, []);
  assert.deepEqual(event.payload, { available: 2, threshold: 50 });
  assert.deepEqual(
    [event.aggregateType, event.actor, event.channel, event.serviceIdentity, event.tenantId],
    ["msisdn_pool", "tester", "cli", "tenant_low", T],
  );
  // Reserving a given number counts too.
  ok(await post("/msisdn/40000002/reserve", undefined, T));
  const payloads = (await events("inventory.msisdn.pool_low", T)).map((e) => e.payload);
  assert.deepEqual(payloads, [{ available: 2, threshold: 50 }, { available: 1, threshold: 50 }]);
  // The seeded tenant still has plenty: its reservations never reported a low pool.
  assert.deepEqual(await events("inventory.msisdn.pool_low", "DEFAULT"), []);
});

Deno.test("pool_low: threshold from BSS_INVENTORY_MSISDN_POOL_LOW_THRESHOLD", async () => {
  const low = { BSS_INVENTORY_MSISDN_POOL_LOW_THRESHOLD: "1" };
  const other = serveTest({
    sql: db.sql,
    env: low,
    endpoints: endpoints({ config: testConfig(low), sql: db.sql }),
  });
  try {
    const T = "LOW1";
    const send = (path: string, json?: unknown) =>
      other.request(`/inventory-api/v1${path}`, {
        method: "POST",
        json,
        headers: asTenant(T),
      }).then(reply);
    ok(await send("/msisdn/add-range", { prefix: "4100", count: 3 }), 201);
    ok(await send("/msisdn/reserve-next"), 201); // 2 left: above 1
    assert.deepEqual(await events("inventory.msisdn.pool_low", T), []);
    ok(await send("/msisdn/reserve-next"), 201); // 1 left: at the threshold
    const payloads = (await events("inventory.msisdn.pool_low", T)).map((e) => e.payload);
    assert.deepEqual(payloads, [{ available: 1, threshold: 1 }]);
  } finally {
    await other.stop();
  }
});

Deno.test("tenants do not see each other's numbers", async () => {
  assert.equal((await get("/msisdn/90000001", "LOW")).status, 404);
  assert.equal((await post("/msisdn/90000001/reserve", undefined, "LOW")).status, 404);
  assert.equal((await get("/msisdn/40000000")).status, 404);
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
