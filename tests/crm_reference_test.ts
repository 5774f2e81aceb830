/**
 * Agents and chat transcripts through HTTP: the seeded agents (idempotent seed), filters and
 * 404s; transcripts stored under their SHA-256 (idempotent, `chat_transcript.hash_mismatch`),
 * read back, 404s and validation. And the CRM's OpenAPI document.
 */
import assert from "node:assert/strict";
import { sha256Hex } from "../actors/crm/sha256.ts";
import { seedReferenceData } from "../http/crm/index.ts";
import { freshDatabase } from "./support/db.ts";
import { createCustomer, expectStatus, expectViolation, serveCrm } from "./support/crm.ts";

const db = await freshDatabase("crm_reference");
const crm = await serveCrm(db.sql);
const client = crm.client();
const AGENTS = "/crm-api/v1/agent";
const TRANSCRIPTS = "/crm-api/v1/chat-transcript";

Deno.test("agents: the seeded five, by id; seeding again changes nothing", async () => {
  await seedReferenceData(db.sql);
  const agents = await expectStatus(crm.request(AGENTS), 200);
  assert.deepEqual(agents.map((a: { id: string }) => a.id), [
    "AGT-001",
    "AGT-002",
    "AGT-003",
    "AGT-004",
    "AGT-SYS",
  ]);
  assert.deepEqual(await expectStatus(crm.request(`${AGENTS}/AGT-003`), 200), {
    id: "AGT-003",
    name: "Carol Ng",
    email: "carol.ng@bss-cli.local",
    role: "supervisor",
    status: "active",
  });
});

Deno.test("agents: status filter, paging, 404, 422", async () => {
  await db.sql`insert into crm.agent (id, name, role, status)
    values ('AGT-900', 'Gone Person', 'csr', 'terminated')`;
  const gone = await expectStatus(crm.request(`${AGENTS}?status=terminated`), 200);
  assert.deepEqual(gone.map((a: { id: string }) => a.id), ["AGT-900"]);
  const page = await expectStatus(crm.request(`${AGENTS}?limit=2&offset=1`), 200);
  assert.deepEqual(page.map((a: { id: string }) => a.id), ["AGT-002", "AGT-003"]);
  await expectStatus(crm.request(`${AGENTS}/AGT-404`), 404);
  assert.equal(
    (await expectStatus(crm.request(`${AGENTS}?status=busy`), 422)).code,
    "VALIDATION_ERROR",
  );
});

Deno.test("transcripts: 201 under the body's hash, idempotent, readable", async () => {
  const customer = await createCustomer(client);
  const body = "customer: my card was charged twice\nagent: escalating";
  const hash = await sha256Hex(body);
  const json = { hash: hash.toUpperCase(), customer_id: customer, body };
  const stored = await expectStatus(crm.request(TRANSCRIPTS, { method: "POST", json }), 201);
  assert.deepEqual([stored.hash, stored.customer_id, stored.body], [hash, customer, body]);
  const again = await expectStatus(crm.request(TRANSCRIPTS, { method: "POST", json }), 201);
  assert.deepEqual(again, stored);
  assert.deepEqual(await expectStatus(crm.request(`${TRANSCRIPTS}/${hash}`), 200), stored);
});

Deno.test("transcripts: a wrong hash is chat_transcript.hash_mismatch; unknowns 404; 422", async () => {
  const customer = await createCustomer(client);
  const wrong = "0".repeat(64);
  const context = await expectViolation(
    crm.request(TRANSCRIPTS, {
      method: "POST",
      json: { hash: wrong, customer_id: customer, body: "hi" },
    }),
    "chat_transcript.hash_mismatch",
  );
  assert.deepEqual(context, { provided: wrong, expected: await sha256Hex("hi") });
  await expectStatus(
    crm.request(TRANSCRIPTS, {
      method: "POST",
      json: { hash: await sha256Hex("hi"), customer_id: "CUST-00000000", body: "hi" },
    }),
    404,
  );
  await expectStatus(crm.request(`${TRANSCRIPTS}/${wrong}`), 404);
  for (
    const json of [{ hash: "abc", customer_id: customer, body: "x" }, {
      customer_id: customer,
      body: "x",
    }]
  ) {
    const r = crm.request(TRANSCRIPTS, { method: "POST", json });
    assert.equal((await expectStatus(r, 422)).code, "VALIDATION_ERROR");
  }
});

Deno.test("the OpenAPI document lists every CRM route", async () => {
  const doc = await expectStatus(crm.request("/openapi.json"), 200);
  const paths = Object.keys(doc.paths).filter((p) => !/^\/(health|admin-api|audit-api)/.test(p));
  assert.deepEqual(paths.sort(), [
    "/crm-api/v1/agent",
    "/crm-api/v1/agent/{id}",
    "/crm-api/v1/case",
    "/crm-api/v1/case/{id}",
    "/crm-api/v1/case/{id}/close",
    "/crm-api/v1/case/{id}/note",
    "/crm-api/v1/chat-transcript",
    "/crm-api/v1/chat-transcript/{hash}",
    "/crm-api/v1/customer/{id}/kyc-attestation",
    "/crm-api/v1/customer/{id}/kyc-status",
    "/crm-api/v1/port-requests",
    "/crm-api/v1/port-requests/{id}",
    "/crm-api/v1/port-requests/{id}/approve",
    "/crm-api/v1/port-requests/{id}/reject",
    "/tmf-api/customerInteractionManagement/v1/interaction",
    "/tmf-api/customerManagement/v4/customer",
    "/tmf-api/customerManagement/v4/customer/by-email",
    "/tmf-api/customerManagement/v4/customer/{id}",
    "/tmf-api/customerManagement/v4/customer/{id}/contactMedium",
    "/tmf-api/customerManagement/v4/customer/{id}/contactMedium/{cmId}",
    "/tmf-api/customerManagement/v4/customer/{id}/individual",
    "/tmf-api/troubleTicket/v4/troubleTicket",
    "/tmf-api/troubleTicket/v4/troubleTicket/{id}",
    "/tmf-api/troubleTicket/v4/troubleTicket/{id}/cancel",
    "/tmf-api/troubleTicket/v4/troubleTicket/{id}/resolve",
    "/tmf-api/troubleTicket/v4/troubleTicket/{id}/transition",
  ]);
  // camelCase bodies are documented in their camelCase form.
  const create = doc.paths["/tmf-api/customerManagement/v4/customer"].post;
  const schema = create.requestBody.content["application/json"].schema;
  assert.deepEqual(schema.required, ["givenName", "familyName"]);
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
