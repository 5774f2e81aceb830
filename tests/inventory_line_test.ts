/**
 * `POST /inventory-api/v1/reserve-line` and concurrency: a number and a profile reserved and
 * linked atomically; 50 parallel reservations against a small pool hand out distinct numbers
 * and profiles, the rest fail with the exact rule and nothing is left half-reserved. The
 * database is fresh and unseeded, so the pools are exactly what each test adds.
 * `POST /inventory-api/v1/bind-line`: the pair bound to a subscription in one transaction, the
 * same answer on every retry, and a line of another subscription refused with nothing changed.
 */
import assert from "node:assert/strict";
import { seedEsimProfiles } from "../actors/inventory/seed.ts";
import { getEsimRoute } from "../http/inventory/esim.ts";
import { bindLineRoute, reserveLineRoute } from "../http/inventory/line.ts";
import { NotFound, PolicyViolation } from "../kernel/errors.ts";
import { endpoints } from "../http/inventory/index.ts";
import { freshDatabase } from "./support/db.ts";
import { reply, serveTest, SERVICE_TOKEN, testConfig } from "./support/http.ts";
import { violation } from "./support/assert.ts";

const db = await freshDatabase("inventory_line");
const server = serveTest({
  sql: db.sql,
  endpoints: endpoints({ config: testConfig(), sql: db.sql }),
});

async function post(path: string, json?: unknown) {
  return await reply(
    await server.request(`/inventory-api/v1${path}`, {
      method: "POST",
      json,
      headers: {
        "x-bss-api-token": SERVICE_TOKEN,
        "x-bss-actor": "som",
        "x-bss-channel": "system",
      },
    }),
  );
}
async function get(path: string) {
  return await reply(await server.request(`/inventory-api/v1${path}`));
}

/** 50 reserve-line calls at once; every reply is a 201 or a 422 policy violation. */
async function fifty(path = "/reserve-line") {
  const replies = await Promise.all(Array.from({ length: 50 }, () => post(path)));
  for (const r of replies) assert.ok(r.status === 201 || r.status === 422, JSON.stringify(r));
  const won = replies.filter((r) => r.status === 201).map((r) => r.body);
  const lost = replies.filter((r) => r.status === 422).map((r) => r.body);
  for (const v of lost) assert.equal(v.code, "POLICY_VIOLATION");
  return { won, lost: lost.map((v) => v.rule as string) };
}

const distinct = (values: string[]) => new Set(values).size === values.length;

async function poolLowEvents(): Promise<number> {
  const r = await reply(
    await server.request("/audit-api/v1/events?eventType=inventory.msisdn.pool_low&limit=1000"),
  );
  return r.body.count;
}

Deno.test("reserve-line: the preferred number and the lowest profile, linked", async () => {
  assert.equal((await post("/msisdn/add-range", { prefix: "5555", count: 20 })).status, 201);
  await seedEsimProfiles(db.sql, { from: 0, count: 20 });
  const line = await post("/reserve-line", { preference: "55550005" });
  assert.equal(line.status, 201, JSON.stringify(line.body));
  const { msisdn, iccid, imsi, matching_id, activation_code, reserved_at } = line.body;
  assert.deepEqual([msisdn, iccid, imsi], ["55550005", "8910101000000000000", "525010000000000"]);
  assert.equal(activation_code, `LPA:1$smdp.bss-cli.local$${matching_id}`);
  assert.ok(!Number.isNaN(Date.parse(reserved_at)));
  const esim = (await get(`/esim/${iccid}`)).body;
  assert.deepEqual([esim.profile_state, esim.assigned_msisdn], ["reserved", "55550005"]);
  assert.equal((await get("/msisdn/55550005")).body.status, "reserved");
  const bad = await post("/reserve-line", { preference: 55550006 });
  assert.deepEqual([bad.status, bad.body.code], [422, "VALIDATION_ERROR"]);
});

Deno.test("50 parallel reserve-line on 19 numbers and 19 profiles: 19 distinct lines", async () => {
  const { won, lost } = await fifty();
  assert.equal(won.length, 19);
  assert.ok(distinct(won.map((l) => l.msisdn)), "a number was handed out twice");
  assert.ok(distinct(won.map((l) => l.iccid)), "a profile was handed out twice");
  assert.deepEqual(new Set(lost), new Set(["msisdn.reserve.no_available"]));
  for (const line of won) {
    assert.equal((await get(`/esim/${line.iccid}`)).body.assigned_msisdn, line.msisdn);
  }
  const count = (await get("/msisdn/count")).body;
  assert.deepEqual([count.available, count.reserved], [0, 20]);
  // Every committed reservation (the pool is far below 50) reported a low pool; none other did.
  assert.equal(await poolLowEvents(), 20);
});

Deno.test("50 parallel reserve-line, 30 numbers, 10 profiles: no half-reserved line", async () => {
  assert.equal((await post("/msisdn/add-range", { prefix: "5556", count: 30 })).status, 201);
  await seedEsimProfiles(db.sql, { from: 20, count: 10 });
  const { won, lost } = await fifty();
  assert.equal(won.length, 10);
  assert.ok(distinct(won.map((l) => l.msisdn)) && distinct(won.map((l) => l.iccid)));
  const rules = new Set(lost);
  assert.ok(rules.has("esim.reserve.status_must_be_available"), [...rules].join());
  for (const rule of rules) {
    assert.ok(
      ["esim.reserve.status_must_be_available", "msisdn.reserve.no_available"].includes(rule),
      rule,
    );
  }
  // The numbers of the failed attempts went back: only the 10 winners hold one.
  const count = (await get("/msisdn/count?prefix=5556")).body;
  assert.deepEqual([count.available, count.reserved], [20, 10]);
  assert.equal(await poolLowEvents(), 30);
});

Deno.test("50 parallel reserve-next and esim/reserve: distinct, then the exact rule", async () => {
  assert.equal((await post("/msisdn/add-range", { prefix: "5557", count: 20 })).status, 201);
  await seedEsimProfiles(db.sql, { from: 30, count: 20 });
  const numbers = await fifty("/msisdn/reserve-next");
  // 20 new numbers plus the 20 that the previous test's failed attempts returned.
  assert.equal(numbers.won.length, 40);
  assert.ok(distinct(numbers.won.map((m) => m.msisdn)));
  assert.deepEqual(new Set(numbers.lost), new Set(["msisdn.reserve.no_available"]));
  const profiles = await fifty("/esim/reserve");
  assert.equal(profiles.won.length, 20);
  assert.ok(distinct(profiles.won.map((e) => e.iccid)));
  assert.deepEqual(new Set(profiles.lost), new Set(["esim.reserve.status_must_be_available"]));
});

Deno.test("the pool_low events carry the caller's identity", async () => {
  const r = await reply(
    await server.request("/audit-api/v1/events?eventType=inventory.msisdn.pool_low&limit=1"),
  );
  const [event] = r.body.events;
  assert.deepEqual(
    [event.aggregateType, event.aggregateId, event.actor, event.channel, event.serviceIdentity],
    ["msisdn_pool", "DEFAULT", "som", "system", "service"],
  );
  assert.deepEqual(Object.keys(event.payload).sort(), ["available", "threshold"]);
  assert.equal(event.payload.threshold, 50);
});

Deno.test("typed client: a line, the empty-pool violation and an unknown profile", async () => {
  const client = server.client();
  assert.equal((await post("/msisdn/add-range", { prefix: "5558", count: 1 })).status, 201);
  await seedEsimProfiles(db.sql, { from: 50, count: 1 });
  const line = await client.call(reserveLineRoute, { body: { preference: "55580000" } });
  assert.deepEqual([line.msisdn, line.iccid], ["55580000", "8910101000000000050"]);
  await assert.rejects(
    () => client.call(reserveLineRoute),
    (e) => e instanceof PolicyViolation && e.rule === "msisdn.reserve.no_available",
  );
  await assert.rejects(
    () => client.call(getEsimRoute, { params: { iccid: "8910101000000009999" } }),
    NotFound,
  );
});

Deno.test("bind-line: one transaction, the same answer on retry, another line's pair refused", async () => {
  const client = server.client();
  assert.equal((await post("/msisdn/add-range", { prefix: "5559", count: 2 })).status, 201);
  await seedEsimProfiles(db.sql, { from: 60, count: 2 });
  const a = await client.call(reserveLineRoute, { body: { preference: "55590000" } });
  const b = await client.call(reserveLineRoute, { body: { preference: "55590001" } });
  const bind = (msisdn: string, iccid: string, subscription_id: string) =>
    post("/bind-line", { msisdn, iccid, subscription_id });
  // Retried at once and again later: every answer is the one binding.
  const replies = await Promise.all(
    Array.from({ length: 5 }, () => bind(a.msisdn, a.iccid, "sub-a")),
  );
  replies.push(await bind(a.msisdn, a.iccid, "sub-a"));
  for (const r of replies) assert.deepEqual(r, replies[0]);
  const bound = replies[0].body;
  assert.equal(replies[0].status, 200);
  assert.deepEqual(
    [bound.msisdn.status, bound.msisdn.assigned_to_subscription_id],
    ["assigned", "sub-a"],
  );
  assert.deepEqual(
    [bound.esim.profile_state, bound.esim.assigned_msisdn, bound.esim.assigned_to_subscription_id],
    ["activated", a.msisdn, "sub-a"],
  );
  assert.equal(bound.activation_code, a.activation_code);
  // Another subscription never takes the bound line.
  violation(await bind(a.msisdn, a.iccid, "sub-x"), "msisdn.assign.must_be_reserved");
  // A free number with another line's profile: refused, and the number is left as it was.
  violation(await bind(b.msisdn, a.iccid, "sub-b"), "esim.transition.invalid");
  assert.deepEqual(
    [(await get(`/msisdn/${b.msisdn}`)).body.status, (await get(`/esim/${a.iccid}`)).body],
    ["reserved", bound.esim],
  );
  const typed = await client.call(bindLineRoute, {
    body: { msisdn: b.msisdn, iccid: b.iccid, subscription_id: "sub-b" },
  });
  assert.equal(typed.esim.assigned_to_subscription_id, "sub-b");
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
