/**
 * Port requests through HTTP: create, read, list, approve (straight to `completed`), reject;
 * every rule (direction, port-out target, one pending request per donor number and tenant,
 * legal transitions, rejection reason), events, 404s and validation.
 */
import assert from "node:assert/strict";
import { freshDatabase } from "./support/db.ts";
import { asTenant } from "./support/http.ts";
import { eventsOf, expectStatus, expectViolation, serveCrm } from "./support/crm.ts";

const db = await freshDatabase("crm_port_request");
const crm = await serveCrm(db.sql);
const PATH = "/crm-api/v1/port-requests";

let next = 0;
const donor = () => `9888${String(next++).padStart(4, "0")}`;
const post = (path: string, json?: unknown, headers: Record<string, string> = {}) =>
  crm.request(path, { method: "POST", json, headers });
const portIn = (extra: Record<string, unknown> = {}) => ({
  direction: "port_in",
  donorCarrier: "OtherTel",
  donorMsisdn: donor(),
  requestedPortDate: "2030-06-15",
  ...extra,
});

Deno.test("create: 201, Location, requested, camelCase shape, event", async () => {
  const r = await post(PATH, portIn({ donor_carrier: "SnakeTel", donorCarrier: undefined }));
  const p = await expectStatus(r, 201);
  assert.equal(r.headers.get("location"), `${PATH}/${p.id}`);
  assert.match(p.id, /^PORT-[0-9A-F]{8}$/);
  assert.deepEqual(
    [
      p.direction,
      p.donorCarrier,
      p.targetSubscriptionId,
      p.requestedPortDate,
      p.state,
      p.rejectionReason,
    ],
    ["port_in", "SnakeTel", null, "2030-06-15", "requested", null],
  );
  const events = await eventsOf(db.sql, p.id);
  assert.deepEqual(events.map((e) => [e.event_type, e.aggregate_type, e.payload]), [[
    "port_request.created",
    "port_request",
    {
      portRequestId: p.id,
      direction: "port_in",
      donorCarrier: "SnakeTel",
      donorMsisdn: p.donorMsisdn,
      targetSubscriptionId: null,
      requestedPortDate: "2030-06-15",
    },
  ]]);
});

Deno.test("create rules: direction, port-out target, one pending request per donor number", async () => {
  assert.deepEqual(
    await expectViolation(
      post(PATH, portIn({ direction: "sideways" })),
      "port_request.create.direction_valid",
    ),
    { direction: "sideways" },
  );
  assert.deepEqual(
    await expectViolation(
      post(PATH, portIn({ direction: "port_out" })),
      "port_request.create.target_sub_required_for_port_out",
    ),
    { direction: "port_out" },
  );
  const first = await expectStatus(post(PATH, portIn()), 201);
  assert.deepEqual(
    await expectViolation(
      post(PATH, portIn({ donorMsisdn: first.donorMsisdn })),
      "port_request.create.donor_msisdn_unique_among_pending",
    ),
    { donor_msisdn: first.donorMsisdn, existing_id: first.id, existing_state: "requested" },
  );
  // Another tenant, or once the first is no longer pending, the number may be requested again.
  await expectStatus(
    post(PATH, portIn({ donorMsisdn: first.donorMsisdn }), asTenant("OTHER")),
    201,
  );
  await expectStatus(post(`${PATH}/${first.id}/reject`, { reason: "wrong PIN" }), 200);
  await expectStatus(post(PATH, portIn({ donorMsisdn: first.donorMsisdn })), 201);
});

Deno.test("create: schema errors are 422 VALIDATION_ERROR", async () => {
  for (
    const over of [{ donorMsisdn: "12ab" }, { requestedPortDate: "15/06/2030" }, {
      donorCarrier: "",
    }]
  ) {
    assert.equal((await expectStatus(post(PATH, portIn(over)), 422)).code, "VALIDATION_ERROR");
  }
});

Deno.test("approve: requested → completed, approved + completed events", async () => {
  const p = await expectStatus(post(PATH, portIn({ targetSubscriptionId: "SUB-0007" })), 201);
  const done = await expectStatus(post(`${PATH}/${p.id}/approve`), 200);
  assert.equal(done.state, "completed");
  const events = await eventsOf(db.sql, p.id);
  assert.deepEqual(events.slice(1).map((e) => [e.event_type, e.payload]), [
    ["port_request.approved", {
      portRequestId: p.id,
      direction: "port_in",
      donorMsisdn: p.donorMsisdn,
      targetSubscriptionId: "SUB-0007",
    }],
    ["port_request.completed", { portRequestId: p.id, direction: "port_in" }],
  ]);
});

const numberOf = async (msisdn: string) => {
  const [row] = await db.sql`
    select status, assigned_to_subscription_id as sub from inventory.msisdn_pool
    where msisdn = ${msisdn}`;
  return row ? { status: row.status, sub: row.sub } : undefined;
};

Deno.test("approving a port-in seeds the donor number into the pool, once", async () => {
  const free = await expectStatus(post(PATH, portIn()), 201);
  assert.equal(await numberOf(free.donorMsisdn), undefined);
  await expectStatus(post(`${PATH}/${free.id}/approve`), 200);
  assert.deepEqual(await numberOf(free.donorMsisdn), { status: "available", sub: null });
  const [seeded] = await eventsOf(db.sql, free.donorMsisdn);
  assert.equal(seeded.event_type, "inventory.msisdn.seeded_from_port_in");
  assert.deepEqual(seeded.payload, {
    msisdn: free.donorMsisdn,
    portRequestId: free.id,
    status: "available",
    targetSubscriptionId: null,
    seeded: true,
  });

  const onto = await expectStatus(post(PATH, portIn({ targetSubscriptionId: "SUB-0042" })), 201);
  await expectStatus(post(`${PATH}/${onto.id}/approve`), 200);
  assert.deepEqual(await numberOf(onto.donorMsisdn), { status: "assigned", sub: "SUB-0042" });

  // The same number ported in again (a later request) leaves the pool row as it is.
  const again = await expectStatus(post(PATH, { ...portIn(), donorMsisdn: free.donorMsisdn }), 201);
  await expectStatus(post(`${PATH}/${again.id}/approve`), 200);
  assert.deepEqual(await numberOf(free.donorMsisdn), { status: "available", sub: null });
  const events = await eventsOf(db.sql, free.donorMsisdn);
  assert.equal(events.at(-1)!.payload.seeded, false);
});

Deno.test("approving a port-out marks the number ported_out for its line's termination", async () => {
  const seed = await expectStatus(post(PATH, portIn({ targetSubscriptionId: "SUB-0070" })), 201);
  await expectStatus(post(`${PATH}/${seed.id}/approve`), 200);
  const out = await expectStatus(
    post(
      PATH,
      portIn({
        direction: "port_out",
        donorMsisdn: seed.donorMsisdn,
        targetSubscriptionId: "SUB-0070",
      }),
    ),
    201,
  );
  await expectStatus(post(`${PATH}/${out.id}/approve`), 200);
  assert.equal((await numberOf(seed.donorMsisdn))?.status, "ported_out");
  const ported = (await eventsOf(db.sql, seed.donorMsisdn)).at(-1)!;
  assert.equal(ported.event_type, "inventory.msisdn.ported_out");
  assert.deepEqual(ported.payload, {
    msisdn: seed.donorMsisdn,
    portRequestId: out.id,
    subscriptionId: "SUB-0070",
  });

  // A number that is not ours cannot be ported out: nothing changes, the request stays open.
  const stranger = await expectStatus(
    post(PATH, portIn({ direction: "port_out", targetSubscriptionId: "SUB-0071" })),
    201,
  );
  await expectStatus(post(`${PATH}/${stranger.id}/approve`), 404);
  assert.equal((await expectStatus(crm.request(`${PATH}/${stranger.id}`), 200)).state, "requested");
});

Deno.test("reject: needs a reason; rejected event; finished requests move no more", async () => {
  const p = await expectStatus(post(PATH, portIn()), 201);
  await expectViolation(
    post(`${PATH}/${p.id}/reject`, { reason: "  " }),
    "port_request.reject.requires_reason",
  );
  assert.equal(
    (await expectStatus(post(`${PATH}/${p.id}/reject`, {}), 422)).code,
    "VALIDATION_ERROR",
  );
  const rejected = await expectStatus(post(`${PATH}/${p.id}/reject`, { reason: "wrong PIN" }), 200);
  assert.deepEqual([rejected.state, rejected.rejectionReason], ["rejected", "wrong PIN"]);
  const events = await eventsOf(db.sql, p.id);
  assert.deepEqual([events.at(-1)?.event_type, events.at(-1)?.payload], ["port_request.rejected", {
    portRequestId: p.id,
    direction: "port_in",
    donorMsisdn: p.donorMsisdn,
    reason: "wrong PIN",
  }]);
  for (
    const [trigger, json] of [["approve", undefined], ["reject", { reason: "again" }]] as const
  ) {
    assert.deepEqual(
      await expectViolation(
        post(`${PATH}/${p.id}/${trigger}`, json),
        "port_request.transition.valid",
      ),
      { from_state: "rejected", trigger },
    );
  }
  const approved = await expectStatus(post(PATH, portIn()), 201);
  await expectStatus(post(`${PATH}/${approved.id}/approve`), 200);
  assert.deepEqual(
    await expectViolation(
      post(`${PATH}/${approved.id}/reject`, { reason: "late" }),
      "port_request.transition.valid",
    ),
    { from_state: "completed", trigger: "reject" },
  );
});

Deno.test("read and list: 404, filters, newest first", async () => {
  await expectStatus(crm.request(`${PATH}/PORT-00000000`), 404);
  await expectStatus(post(`${PATH}/PORT-00000000/approve`), 404);
  await expectStatus(post(`${PATH}/PORT-00000000/reject`, { reason: "x" }), 404);
  const a = await expectStatus(post(PATH, portIn()), 201);
  const b = await expectStatus(
    post(PATH, portIn({ direction: "port_out", targetSubscriptionId: "SUB-1" })),
    201,
  );
  assert.equal((await expectStatus(crm.request(`${PATH}/${a.id}`), 200)).id, a.id);
  const ids = async (q: string) =>
    (await expectStatus(crm.request(`${PATH}?${q}`), 200)).map((p: { id: string }) => p.id);
  const all = await ids("limit=1000");
  assert.deepEqual(all.slice(0, 2), [b.id, a.id]);
  assert.ok((await ids("direction=port_out")).includes(b.id));
  assert.ok(!(await ids("direction=port_out")).includes(a.id));
  assert.ok((await ids("state=requested")).includes(a.id));
  assert.deepEqual(await ids("limit=1"), [b.id]);
  assert.equal(
    (await expectStatus(crm.request(`${PATH}?state=validating`), 422)).code,
    "VALIDATION_ERROR",
  );
});

Deno.test({
  name: "teardown",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await crm.stop();
    await db.drop();
  },
});
