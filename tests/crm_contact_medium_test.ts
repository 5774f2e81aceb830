/**
 * TMF629 contact media through HTTP: add (unique live email), change a value (never an
 * email), remove; 404 for unknown customers and for media that are not the customer's;
 * events and auto-logged interactions.
 */
import assert from "node:assert/strict";
import { freshDatabase } from "./support/db.ts";
import {
  createCustomer,
  eventsOf,
  expectStatus,
  expectViolation,
  serveCrm,
  uniqueEmail,
} from "./support/crm.ts";

const db = await freshDatabase("crm_contact_medium");
const crm = await serveCrm(db.sql);
const client = crm.client();
const BASE = "/tmf-api/customerManagement/v4/customer";
const media = (id: string) => `${BASE}/${id}/contactMedium`;

const add = (id: string, json: unknown) => crm.request(media(id), { method: "POST", json });
const edit = (id: string, cm: string, json: unknown) =>
  crm.request(`${media(id)}/${cm}`, { method: "PATCH", json });
const remove = (id: string, cm: string) => crm.request(`${media(id)}/${cm}`, { method: "DELETE" });

async function summaries(id: string): Promise<string[]> {
  const rows = await db.sql`select summary from crm.interaction where customer_id = ${id}
    order by seq desc`;
  return rows.map((r) => r.summary);
}

Deno.test("add: 201, Location, event and interaction; a primary demotes its type's other", async () => {
  const id = await createCustomer(client, {
    contactMedium: [
      { mediumType: "email", value: uniqueEmail() },
      { mediumType: "mobile", value: "+6590000001", isPrimary: true },
    ],
  });
  const r = await add(id, { medium_type: "mobile", value: "+6590000002", is_primary: true });
  const cm = await expectStatus(r, 201);
  assert.equal(r.headers.get("location"), `${media(id)}/${cm.id}`);
  assert.match(cm.id, /^CM-[0-9a-f]{8}$/);
  assert.deepEqual([cm["@type"], cm.mediumType, cm.value, cm.isPrimary], [
    "ContactMedium",
    "mobile",
    "+6590000002",
    true,
  ]);
  const customer = await expectStatus(crm.request(`${BASE}/${id}`), 200);
  const primaries = customer.contactMedium
    .filter((m: { mediumType: string; isPrimary: boolean }) => m.mediumType === "mobile")
    .map((m: { isPrimary: boolean }) => m.isPrimary);
  assert.deepEqual(primaries, [false, true]);
  const events = await eventsOf(db.sql, id);
  assert.deepEqual([events.at(-1)?.event_type, events.at(-1)?.payload], [
    "customer.contact_medium_added",
    { cm_id: cm.id, medium_type: "mobile" },
  ]);
  assert.equal((await summaries(id))[0], "Contact medium added: mobile");
});

Deno.test("add an email in use by anyone: customer.create.email_unique", async () => {
  const email = uniqueEmail();
  const owner = await createCustomer(client, {
    contactMedium: [{ mediumType: "email", value: email }],
  });
  const other = await createCustomer(client);
  for (const id of [other, owner]) {
    const context = await expectViolation(
      add(id, { mediumType: "email", value: email }),
      "customer.create.email_unique",
    );
    assert.deepEqual(context, { email });
  }
});

Deno.test("add: 404 for an unknown customer, 422 for a bad body", async () => {
  await expectStatus(add("CUST-00000000", { mediumType: "mobile", value: "+6591234567" }), 404);
  const id = await createCustomer(client);
  for (const json of [{ mediumType: "mobile" }, { mediumType: "pager", value: "1" }, {}]) {
    assert.equal((await expectStatus(add(id, json), 422)).code, "VALIDATION_ERROR");
  }
});

Deno.test("change a value: event and interaction; an email must use the change flow", async () => {
  const id = await createCustomer(client, {
    contactMedium: [
      { mediumType: "email", value: uniqueEmail() },
      { mediumType: "postal", value: "1 Old Road" },
    ],
  });
  const customer = await expectStatus(crm.request(`${BASE}/${id}`), 200);
  const [email, postal] = customer.contactMedium;
  const changed = await expectStatus(edit(id, postal.id, { value: "2 New Road" }), 200);
  assert.deepEqual([changed.id, changed.value], [postal.id, "2 New Road"]);
  const events = await eventsOf(db.sql, id);
  assert.deepEqual([events.at(-1)?.event_type, events.at(-1)?.payload], [
    "customer.contact_medium_updated",
    { cm_id: postal.id, medium_type: "postal" },
  ]);
  assert.equal((await summaries(id))[0], "Contact medium updated: postal");

  const context = await expectViolation(
    edit(id, email.id, { value: uniqueEmail() }),
    "customer.contact_medium.email_must_use_change_flow",
  );
  assert.deepEqual(context, { customer_id: id, cm_id: email.id });
  assert.equal(
    (await expectStatus(edit(id, postal.id, { value: "" }), 422)).code,
    "VALIDATION_ERROR",
  );
});

Deno.test("remove: 204, gone from the customer, event and interaction", async () => {
  const id = await createCustomer(client, {
    contactMedium: [
      { mediumType: "email", value: uniqueEmail() },
      { mediumType: "mobile", value: "+6597777777" },
    ],
  });
  const customer = await expectStatus(crm.request(`${BASE}/${id}`), 200);
  const mobile = customer.contactMedium[1];
  await expectStatus(remove(id, mobile.id), 204);
  const after = await expectStatus(crm.request(`${BASE}/${id}`), 200);
  assert.equal(after.contactMedium.length, 1);
  const [row] = await db
    .sql`select count(*)::int as n from crm.contact_medium where id = ${mobile.id}`;
  assert.equal(row.n, 0, "hard delete");
  const events = await eventsOf(db.sql, id);
  assert.deepEqual([events.at(-1)?.event_type, events.at(-1)?.payload], [
    "customer.contact_medium_removed",
    { cm_id: mobile.id, medium_type: "mobile" },
  ]);
  assert.equal((await summaries(id))[0], "Contact medium removed: mobile");
  await expectStatus(remove(id, mobile.id), 404);
});

Deno.test("another customer's medium, or a missing one, is 404 on change and remove", async () => {
  const mine = await createCustomer(client);
  const theirs = await createCustomer(client, {
    contactMedium: [{ mediumType: "mobile", value: "+6595555555" }],
  });
  const their = (await expectStatus(crm.request(`${BASE}/${theirs}`), 200)).contactMedium[0];
  await expectStatus(edit(mine, their.id, { value: "+6590000000" }), 404);
  await expectStatus(remove(mine, their.id), 404);
  await expectStatus(edit(mine, "CM-00000000", { value: "+6590000000" }), 404);
  await expectStatus(edit("CUST-00000000", their.id, { value: "+6590000000" }), 404);
  await expectStatus(remove("CUST-00000000", their.id), 404);
  const untouched = (await expectStatus(crm.request(`${BASE}/${theirs}`), 200)).contactMedium[0];
  assert.equal(untouched.value, "+6595555555");
});

Deno.test("a removed email address can be used again", async () => {
  const email = uniqueEmail();
  const first = await createCustomer(client, {
    contactMedium: [{ mediumType: "email", value: email }, { mediumType: "mobile", value: "+651" }],
  });
  const cm = (await expectStatus(crm.request(`${BASE}/${first}`), 200)).contactMedium[0];
  await expectStatus(remove(first, cm.id), 204);
  await createCustomer(client, { contactMedium: [{ mediumType: "email", value: email }] });
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
