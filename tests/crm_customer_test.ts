/**
 * TMF629 customers through HTTP: create, list, by-email, read, status, names; every rule
 * (contact medium required, unique live email, close with live subscriptions, names given),
 * 404s and validation, events and auto-logged interactions, attribution from the request.
 */
import assert from "node:assert/strict";
import { freshDatabase } from "./support/db.ts";
import { COCKPIT_TOKEN } from "./support/http.ts";
import {
  createCustomer,
  eventsOf,
  expectStatus,
  expectViolation,
  serveCrm,
  uniqueEmail,
} from "./support/crm.ts";

const db = await freshDatabase("crm_customer");
// Customers in `busy` have two live subscriptions (the subscription service's answer, injected).
const busy = new Set<string>();
const crm = await serveCrm(db.sql, {
  options: { liveSubscriptionCount: (id) => Promise.resolve(busy.has(id) ? 2 : 0) },
});
const client = crm.client();
const BASE = "/tmf-api/customerManagement/v4/customer";

const post = (path: string, json: unknown, headers: Record<string, string> = {}) =>
  crm.request(path, { method: "POST", json, headers });
const patch = (path: string, json: unknown) => crm.request(path, { method: "PATCH", json });

async function interactions(customerId: string): Promise<string[]> {
  const list = await expectStatus(
    crm.request(`/tmf-api/customerInteractionManagement/v1/interaction?customerId=${customerId}`),
    200,
  );
  return list.map((i: { summary: string }) => i.summary);
}

Deno.test("create: 201, Location, active at once, TMF629 shape, event and interaction", async () => {
  const email = uniqueEmail("MEI");
  const r = await post(BASE, {
    given_name: "Mei",
    familyName: "Tan",
    dateOfBirth: "1990-05-01",
    contactMedium: [
      { mediumType: "email", value: ` ${email} `, isPrimary: true },
      { medium_type: "phone", value: "+6591112222" },
    ],
  });
  assert.equal(r.status, 201);
  const c = await r.json();
  assert.equal(r.headers.get("location"), `${BASE}/${c.id}`);
  assert.match(c.id, /^CUST-\d{4,}$/, "sequential");
  assert.equal(c["@type"], "Customer");
  assert.equal(c.href, `${crm.url}${BASE}/${c.id}`);
  assert.equal(c["@schemaLocation"], `${crm.url}/tmf-api/schema/Customer.schema.json`);
  assert.equal(c.status, "active");
  assert.equal(c.kycStatus, "not_verified");
  assert.ok(c.customerSince);
  assert.equal(c.name, "Mei Tan");
  assert.match(c.engagedParty.id, /^PTY-[0-9a-f]{8}$/);
  assert.deepEqual(c.individual, {
    givenName: "Mei",
    familyName: "Tan",
    dateOfBirth: "1990-05-01",
  });
  assert.deepEqual(
    c.contactMedium.map((m: Record<string, unknown>) => [m.mediumType, m.value, m.isPrimary]),
    [["email", email.toLowerCase(), true], ["mobile", "+6591112222", false]],
  );
  assert.deepEqual(c.contactMedium[0].characteristic, { emailAddress: email.toLowerCase() });
  // Absent optionals are omitted on the wire; the period is TMF's validFor.
  assert.equal("validTo" in c.contactMedium[0], false);
  assert.equal(c.contactMedium[0].validFor.startDateTime, c.contactMedium[0].validFrom);

  const events = await eventsOf(db.sql, c.id);
  assert.deepEqual(events.map((e) => [e.event_type, e.aggregate_type, e.payload]), [
    ["customer.created", "customer", { given_name: "Mei", family_name: "Tan" }],
  ]);
  assert.deepEqual(await interactions(c.id), ["Customer created"]);
});

Deno.test("create without a contact medium: customer.create.requires_contact_medium", async () => {
  await expectViolation(
    post(BASE, { givenName: "No", familyName: "Contact" }),
    "customer.create.requires_contact_medium",
  );
  await expectViolation(
    post(BASE, { givenName: "No", familyName: "Contact", contactMedium: [] }),
    "customer.create.requires_contact_medium",
  );
});

Deno.test("create with a live email in use: customer.create.email_unique, nothing written", async () => {
  const email = uniqueEmail();
  await createCustomer(client, { contactMedium: [{ mediumType: "email", value: email }] });
  const before = await db.sql`select count(*)::int as n from crm.customer`;
  const context = await expectViolation(
    post(BASE, {
      givenName: "Copy",
      familyName: "Cat",
      contactMedium: [{ mediumType: "email", value: email.toUpperCase() }],
    }),
    "customer.create.email_unique",
  );
  assert.deepEqual(context, { email });
  const after = await db.sql`select count(*)::int as n from crm.customer`;
  assert.equal(after[0].n, before[0].n);
});

Deno.test("create: schema errors are 422 VALIDATION_ERROR with located issues", async () => {
  const cases: unknown[] = [
    { familyName: "Tan", contactMedium: [{ mediumType: "email", value: uniqueEmail() }] },
    {
      givenName: " ",
      familyName: "Tan",
      contactMedium: [{ mediumType: "email", value: "a@b.co" }],
    },
    { givenName: "A", familyName: "B", contactMedium: [{ mediumType: "email", value: "nope" }] },
    { givenName: "A", familyName: "B", contactMedium: [{ mediumType: "fax", value: "1" }] },
    { givenName: "A", familyName: "B", dateOfBirth: "1990-13-01", contactMedium: [] },
  ];
  for (const json of cases) {
    const body = await expectStatus(post(BASE, json), 422);
    assert.equal(body.code, "VALIDATION_ERROR", JSON.stringify(json));
    assert.equal(body.issues[0].path[0], "body");
  }
  assert.equal(
    (await expectStatus(
      crm.request(BASE, {
        method: "POST",
        body: "{",
        headers: { "content-type": "application/json" },
      }),
      400,
    )).code,
    "MALFORMED_JSON",
  );
});

Deno.test("read, list (status, name, paging) and by-email", async () => {
  const email = uniqueEmail("zed");
  const id = await createCustomer(client, {
    givenName: "Zed",
    familyName: "Quill",
    contactMedium: [{ mediumType: "email", value: email }],
  });
  assert.equal((await expectStatus(crm.request(`${BASE}/${id}`), 200)).id, id);
  const named = await expectStatus(crm.request(`${BASE}?name=quil`), 200);
  assert.deepEqual(named.map((c: { id: string }) => c.id), [id]);
  const active = await expectStatus(crm.request(`${BASE}?status=active&limit=1000`), 200);
  assert.ok(active.some((c: { id: string }) => c.id === id));
  const page = await expectStatus(crm.request(`${BASE}?limit=1&offset=1`), 200);
  assert.equal(page.length, 1);
  const ids = active.map((c: { id: string }) => c.id);
  assert.deepEqual(ids, [...ids].sort(), "by id");
  const found = await expectStatus(
    crm.request(`${BASE}/by-email?email=${email.toUpperCase()}`),
    200,
  );
  assert.equal(found.id, id);
});

Deno.test("unknown ids and addresses are 404; bad queries 422", async () => {
  await expectStatus(crm.request(`${BASE}/CUST-00000000`), 404);
  await expectStatus(crm.request(`${BASE}/by-email?email=${uniqueEmail()}`), 404);
  await expectStatus(patch(`${BASE}/CUST-00000000`, { status: "closed" }), 404);
  await expectStatus(patch(`${BASE}/CUST-00000000/individual`, { givenName: "X" }), 404);
  for (const q of ["status=gone", "limit=0", "offset=-1"]) {
    assert.equal((await expectStatus(crm.request(`${BASE}?${q}`), 422)).code, "VALIDATION_ERROR");
  }
  assert.equal((await expectStatus(crm.request(`${BASE}/by-email`), 422)).code, "VALIDATION_ERROR");
  // No actor mailbox is opened for a customer that does not exist.
  const [row] = await db
    .sql`select count(*)::int as n from actor.actor where key = 'CUST-00000000'`;
  assert.equal(row.n, 0);
});

Deno.test("close: customer.updated with the fields, interaction, status reason kept", async () => {
  const id = await createCustomer(client);
  const closed = await expectStatus(
    patch(`${BASE}/${id}`, { status: "closed", status_reason: "moved abroad" }),
    200,
  );
  assert.deepEqual([closed.status, closed.statusReason], ["closed", "moved abroad"]);
  const events = await eventsOf(db.sql, id);
  assert.deepEqual(events.at(-1)?.payload, { fields_updated: ["status", "status_reason"] });
  assert.equal(events.at(-1)?.event_type, "customer.updated");
  assert.deepEqual(await interactions(id), [
    "Customer updated: status active -> closed",
    "Customer created",
  ]);
});

Deno.test("close with live subscriptions: customer.close.no_active_subscriptions", async () => {
  const id = await createCustomer(client);
  busy.add(id);
  const context = await expectViolation(
    patch(`${BASE}/${id}`, { status: "closed" }),
    "customer.close.no_active_subscriptions",
  );
  assert.deepEqual(context, { customer_id: id, active_subscriptions: 2 });
  // Also when suspending; staying active (a reason only) is fine.
  await expectViolation(
    patch(`${BASE}/${id}`, { status: "suspended" }),
    "customer.close.no_active_subscriptions",
  );
  const still = await expectStatus(patch(`${BASE}/${id}`, { statusReason: "vip" }), 200);
  assert.deepEqual([still.status, still.statusReason], ["active", "vip"]);
  busy.delete(id);
});

Deno.test("status update: empty body and unknown status are 422 VALIDATION_ERROR", async () => {
  const id = await createCustomer(client);
  for (const json of [{}, { status: "deleted" }]) {
    assert.equal((await expectStatus(patch(`${BASE}/${id}`, json), 422)).code, "VALIDATION_ERROR");
  }
  // A body with none of the route's fields is told which they are.
  const none = await expectStatus(patch(`${BASE}/${id}`, { name: "Ada" }), 422);
  assert.equal(none.issues[0].message, "give at least one of status, statusReason");
});

Deno.test("names: individual_updated with the fields; none given breaks no_fields", async () => {
  const id = await createCustomer(client);
  const c = await expectStatus(patch(`${BASE}/${id}/individual`, { family_name: "Lim" }), 200);
  assert.deepEqual([c.individual.givenName, c.individual.familyName, c.name], [
    "Mei",
    "Lim",
    "Mei Lim",
  ]);
  const events = await eventsOf(db.sql, id);
  assert.deepEqual(
    [events.at(-1)?.event_type, events.at(-1)?.payload],
    ["customer.individual_updated", { fields: ["family_name"] }],
  );
  const context = await expectViolation(
    patch(`${BASE}/${id}/individual`, {}),
    "customer.individual.update.no_fields",
  );
  assert.deepEqual(context, { customer_id: id });
  assert.equal(
    (await expectStatus(patch(`${BASE}/${id}/individual`, { givenName: "" }), 422)).code,
    "VALIDATION_ERROR",
  );
  assert.equal((await interactions(id))[0], "Name updated");
});

Deno.test("attribution: audit rows carry the request's actor, channel and token identity", async () => {
  const r = await crm.request(BASE, {
    method: "POST",
    token: COCKPIT_TOKEN,
    headers: { "x-bss-actor": "csr-alice", "x-bss-channel": "portal-csr" },
    json: {
      givenName: "Ann",
      familyName: "Ong",
      contactMedium: [{ mediumType: "email", value: uniqueEmail() }],
    },
  });
  const { id } = await expectStatus(r, 201);
  const [event] = await eventsOf(db.sql, id);
  assert.deepEqual(
    [event.actor, event.channel, event.service_identity],
    ["csr-alice", "portal-csr", "operator_cockpit"],
  );
  const [interaction] = await db.sql`select channel, direction from crm.interaction
    where customer_id = ${id}`;
  assert.deepEqual({ ...interaction }, { channel: "portal-csr", direction: "inbound" });
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
