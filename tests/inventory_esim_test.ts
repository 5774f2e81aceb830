/**
 * eSIM profiles over HTTP (`/inventory-api/v1/esim`): the seed, list and get, the activation
 * code, the lifecycle reserved → downloaded → activated → recycled and release, linking a
 * number, and every esim.* rule.
 */
import assert from "node:assert/strict";
import { seedReferenceData } from "../actors/inventory/seed.ts";
import { endpoints } from "../http/inventory/index.ts";
import { freshDatabase } from "./support/db.ts";
import { asTenant, reply, serveTest, testConfig, type TestTenant } from "./support/http.ts";
import { ok, violation } from "./support/assert.ts";

const db = await freshDatabase("inventory_esim");
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

const ICCID0 = "8910101000000000000";
const iccid = (i: number) => `8910101${String(i).padStart(12, "0")}`;

async function call(method: string, path: string, json?: unknown, tenant?: TestTenant) {
  const headers: Record<string, string> = tenant ? asTenant(tenant) : {};
  return await reply(
    await server.request(`/inventory-api/v1${path}`, { method, json, headers }),
  );
}
const get = (path: string, tenant?: TestTenant) => call("GET", path, undefined, tenant);
const post = (path: string, json?: unknown, tenant?: TestTenant) =>
  call("POST", path, json, tenant);

/** A reserved profile and a reserved number. */
async function reservedPair() {
  const esim = ok(await post("/esim/reserve"), 201);
  const number = ok(await post("/msisdn/reserve-next"), 201);
  return { iccid: esim.iccid as string, msisdn: number.msisdn as string };
}

Deno.test("the seed: 1000 profiles, spec identifiers, HSM references, LPA codes", async () => {
  const first = ok(await get(`/esim/${ICCID0}`));
  assert.deepEqual(first, {
    iccid: ICCID0,
    imsi: "525010000000000",
    profile_state: "available",
    smdp_server: "smdp.bss-cli.local",
    assigned_msisdn: null,
    assigned_to_subscription_id: null,
    reserved_at: null,
    downloaded_at: null,
    activated_at: null,
  });
  assert.equal(ok(await get(`/esim/${iccid(999)}`)).imsi, "525010000000999");
  assert.equal((await get(`/esim/${iccid(1000)}`)).status, 404);
  const activation = ok(await get(`/esim/${iccid(42)}/activation`));
  assert.match(activation.matching_id, /^[0-9a-f]{16}$/);
  assert.deepEqual(activation, {
    iccid: iccid(42),
    smdp_server: "smdp.bss-cli.local",
    matching_id: activation.matching_id,
    activation_code: `LPA:1$smdp.bss-cli.local$${activation.matching_id}`,
  });
  const [stock] = await db.sql`
    select count(*)::int as profiles, count(distinct matching_id)::int as matching_ids,
      bool_and(ki_ref ~ '^hsm://ref/[0-9a-f-]{36}$') as references_only,
      bool_and(length(iccid) = 19 and length(imsi) = 15) as lengths
    from inventory.esim_profile`;
  assert.deepEqual(stock, {
    profiles: 1000,
    matching_ids: 1000,
    references_only: true,
    lengths: true,
  });
  // Seeding again inserts nothing and changes nothing.
  await seedReferenceData(db.sql);
  assert.deepEqual(ok(await get(`/esim/${iccid(42)}/activation`)), activation);
  const [{ n }] = await db.sql`select count(*)::int as n from inventory.esim_profile`;
  assert.equal(n, 1000);
});

Deno.test("list: ICCID order, paging, state filter; bad input is a validation error", async () => {
  const page = ok(await get("/esim"));
  assert.equal(page.length, 20);
  assert.equal(page[0].iccid, ICCID0);
  const two = ok(await get("/esim?limit=2&offset=10"));
  assert.deepEqual(two.map((e: { iccid: string }) => e.iccid), [iccid(10), iccid(11)]);
  assert.deepEqual(ok(await get("/esim?status=recycled")), []);
  for (const q of ["status=lost", "limit=0", "offset=x"]) {
    const r = await get(`/esim?${q}`);
    assert.deepEqual([r.status, r.body.code], [422, "VALIDATION_ERROR"], q);
  }
  for (const path of ["/esim/abc", "/esim/123/activation"]) {
    const r = await get(path);
    assert.deepEqual([r.status, r.body.code], [422, "VALIDATION_ERROR"], path);
  }
});

Deno.test("the lifecycle: reserve, link a number, download, activate, recycle", async () => {
  const raw = await server.request("/inventory-api/v1/esim/reserve", { method: "POST" });
  const reserved = ok(await reply(raw), 201);
  assert.deepEqual([reserved.iccid, reserved.profile_state, reserved.reserved_at], [
    ICCID0,
    "reserved",
    T0,
  ]);
  assert.equal(raw.headers.get("location"), `/inventory-api/v1/esim/${ICCID0}`);
  const number = ok(await post("/msisdn/reserve-next"), 201).msisdn;

  const linked = ok(await post(`/esim/${ICCID0}/assign-msisdn`, { msisdn: number }));
  assert.deepEqual([linked.profile_state, linked.assigned_msisdn], ["reserved", number]);
  // Linking the same number again is harmless.
  ok(await post(`/esim/${ICCID0}/assign-msisdn`, { msisdn: number }));

  const downloaded = ok(await post(`/esim/${ICCID0}/mark-downloaded`));
  assert.deepEqual([downloaded.profile_state, downloaded.downloaded_at], ["downloaded", T0]);

  const activated = ok(
    await post(`/esim/${ICCID0}/mark-activated`, { subscription_id: "SUB-0001" }),
  );
  assert.deepEqual(activated, {
    iccid: ICCID0,
    imsi: "525010000000000",
    profile_state: "activated",
    smdp_server: "smdp.bss-cli.local",
    assigned_msisdn: number,
    assigned_to_subscription_id: "SUB-0001",
    reserved_at: T0,
    downloaded_at: T0,
    activated_at: T0,
  });

  const recycled = ok(await post(`/esim/${ICCID0}/recycle`));
  assert.equal(recycled.profile_state, "recycled");
  // Recycled is terminal; its links stay as history; it is never handed out again.
  assert.deepEqual([recycled.assigned_msisdn, recycled.assigned_to_subscription_id], [
    number,
    "SUB-0001",
  ]);
  for (const action of ["release", "mark-activated", "mark-downloaded", "recycle"]) {
    const r = await post(`/esim/${ICCID0}/${action}`);
    assert.equal(r.body.rule, "esim.transition.invalid", action);
    assert.equal(r.body.context.state, "recycled");
  }
  assert.notEqual(ok(await post("/esim/reserve"), 201).iccid, ICCID0);
});

Deno.test("a downloaded profile that never activates is recycled, not reissued", async () => {
  const { iccid } = await reservedPair();
  ok(await post(`/esim/${iccid}/mark-downloaded`));
  violation(await post(`/esim/${iccid}/release`), "esim.transition.invalid", {
    iccid,
    state: "downloaded",
    trigger: "release",
  });
  assert.equal(ok(await post(`/esim/${iccid}/recycle`)).profile_state, "recycled");
});

Deno.test("mark-activated keeps the subscription it has when none is given", async () => {
  const { iccid } = await reservedPair();
  ok(await post(`/esim/${iccid}/mark-downloaded`));
  const activated = ok(await post(`/esim/${iccid}/mark-activated`));
  assert.deepEqual([activated.profile_state, activated.assigned_to_subscription_id], [
    "activated",
    null,
  ]);
  const bad = await post(`/esim/${iccid}/mark-activated`, { subscription_id: "" });
  assert.deepEqual([bad.status, bad.body.code], [422, "VALIDATION_ERROR"]);
});

Deno.test("release: reserved → available with every reservation field cleared", async () => {
  const { iccid, msisdn } = await reservedPair();
  ok(await post(`/esim/${iccid}/assign-msisdn`, { msisdn }));
  const released = ok(await post(`/esim/${iccid}/release`));
  const { profile_state, assigned_msisdn, assigned_to_subscription_id, ...times } = released;
  assert.deepEqual([profile_state, assigned_msisdn, assigned_to_subscription_id], [
    "available",
    null,
    null,
  ]);
  assert.deepEqual([times.reserved_at, times.downloaded_at, times.activated_at], [
    null,
    null,
    null,
  ]);
  // The lowest available ICCID again, so the next reservation takes it back.
  assert.equal(ok(await post("/esim/reserve"), 201).iccid, iccid);
  ok(await post(`/esim/${iccid}/release`));
});

Deno.test("esim.transition.invalid names the profile, its state and the trigger", async () => {
  const free = iccid(900);
  violation(await post(`/esim/${free}/mark-downloaded`), "esim.transition.invalid", {
    iccid: free,
    state: "available",
    trigger: "download",
  });
  violation(await post(`/esim/${free}/release`), "esim.transition.invalid", {
    iccid: free,
    state: "available",
    trigger: "release",
  });
  const { iccid: held } = await reservedPair();
  violation(await post(`/esim/${held}/mark-activated`), "esim.transition.invalid", {
    iccid: held,
    state: "reserved",
    trigger: "activate",
  });
  violation(await post(`/esim/${held}/recycle`), "esim.transition.invalid", {
    iccid: held,
    state: "reserved",
    trigger: "recycle",
  });
  ok(await post(`/esim/${held}/mark-downloaded`));
  violation(await post(`/esim/${held}/mark-downloaded`), "esim.transition.invalid", {
    iccid: held,
    state: "downloaded",
    trigger: "download",
  });
});

Deno.test("assign-msisdn: the profile and the number must both be reserved", async () => {
  const free = iccid(901);
  const number = ok(await post("/msisdn/reserve-next"), 201).msisdn;
  violation(
    await post(`/esim/${free}/assign-msisdn`, { msisdn: number }),
    "esim.assign_msisdn.esim_must_be_reserved",
    { iccid: free, state: "available" },
  );
  const { iccid: held } = await reservedPair();
  violation(
    await post(`/esim/${held}/assign-msisdn`, { msisdn: "99999999" }),
    "esim.assign_msisdn.msisdn_not_found",
    { msisdn: "99999999" },
  );
  violation(
    await post(`/esim/${held}/assign-msisdn`, { msisdn: "90000999" }),
    "esim.assign_msisdn.msisdn_must_be_reserved",
    { msisdn: "90000999", status: "available" },
  );
  for (const json of [undefined, {}, { msisdn: "9x" }]) {
    const r = await post(`/esim/${held}/assign-msisdn`, json);
    assert.deepEqual([r.status, r.body.code], [422, "VALIDATION_ERROR"], JSON.stringify(json));
  }
});

Deno.test("assign-msisdn: one number belongs to one live profile", async () => {
  const first = await reservedPair();
  ok(await post(`/esim/${first.iccid}/assign-msisdn`, { msisdn: first.msisdn }));
  const second = ok(await post("/esim/reserve"), 201).iccid;
  violation(
    await post(`/esim/${second}/assign-msisdn`, { msisdn: first.msisdn }),
    "esim.assign_msisdn.msisdn_in_use",
    { msisdn: first.msisdn, iccid: first.iccid },
  );
  // Releasing the number lets go of the profile that was only reserved with it.
  ok(await post(`/msisdn/${first.msisdn}/release`));
  assert.equal(ok(await get(`/esim/${first.iccid}`)).assigned_msisdn, null);
  ok(await post(`/msisdn/${first.msisdn}/reserve`));
  const relinked = ok(await post(`/esim/${second}/assign-msisdn`, { msisdn: first.msisdn }));
  assert.equal(relinked.assigned_msisdn, first.msisdn);
});

Deno.test("esim.reserve.status_must_be_available when the stock is empty", async () => {
  violation(
    await post("/esim/reserve", undefined, "EMPTY"),
    "esim.reserve.status_must_be_available",
    {},
  );
});

Deno.test("an unknown profile is 404 on reads and writes", async () => {
  const unknown = iccid(5000);
  for (
    const [method, path, json] of [
      ["GET", ""],
      ["GET", "/activation"],
      ["POST", "/assign-msisdn", { msisdn: "90000001" }],
      ["POST", "/mark-downloaded"],
      ["POST", "/mark-activated"],
      ["POST", "/recycle"],
      ["POST", "/release"],
    ] as const
  ) {
    const r = await call(method, `/esim/${unknown}${path}`, json);
    assert.deepEqual([r.status, r.body.code, r.body.id], [404, "NOT_FOUND", unknown], path);
  }
  // Another tenant's profile is unknown too.
  assert.equal((await get(`/esim/${iccid(500)}`, "OTHER")).status, 404);
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
